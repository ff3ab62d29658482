/* summary.h5: round trip of /runs, /flags, /errors and the athletes' load tables,
 * group-name sanitizing, external links to the run reports, reproducible bytes,
 * and `show` in text, JSON and CSV. */
#include "test_report_fixture.h"

#include <hdf5.h>

typedef struct sfx {
  char dir[256];
  char summary[512];
  gb_summary_run runs[3];
  gb_flag_row flags[5];
  gb_daily_row daily[20];
  gb_weekly_row weekly[3];
  gb_load_result load_a, load_b;
  gb_athlete_load ath[3];
  gb_error_row errors[1];
} sfx;

static const char *ATH_A = "A/1.x"; /* needs sanitizing */

/* Writes runs/<id>.h5 for the ok runs and summary.h5 into dir. */
static void build(sfx *s, const char *dir)
{
  char path[600], err[512] = "";
  snprintf(path, sizeof path, "%s/runs", dir);
  mkdir(path, 0755);
  const char *ids[3] = {"A_2026-11-21", "A_2026-10-01", "C_bad"};
  const char *athletes[3] = {ATH_A, ATH_A, "b.b"};
  const char *starts[3] = {"2026-11-21T07:00:00Z", "2026-10-01T07:00:00Z", ""};
  for (int i = 0; i < 3; i++) {
    gb_summary_run *r = &s->runs[i];
    gb_result res;
    gb_flag fl[2];
    fx_make(&r->meta, &r->prov, &res, fl, 2, 50, ids[i]);
    snprintf(r->meta.athlete, sizeof r->meta.athlete, "%s", athletes[i]);
    snprintf(r->meta.start_iso, sizeof r->meta.start_iso, "%s", starts[i]);
    r->summary = res.summary;
    r->summary.cadence_mean_spm = 160.0f + (float)i;
    r->status = i == 2 ? GB_RUN_FAILED : GB_RUN_OK;
    r->reanalysed = i == 0;
    r->n_flags_info = i;
    r->n_flags_warn = 2 * i;
    r->n_flags_high = 3 * i;
    if (i < 2) {
      snprintf(r->report_relpath, sizeof r->report_relpath, "runs/%s.h5", ids[i]);
      int w = snprintf(path, sizeof path, "%s/%s", dir, r->report_relpath);
      assert_true(w > 0 && (size_t)w < sizeof path);
      int rc = gb_report_write_run(path, &r->meta, &r->prov, &res, fl, 2, err, sizeof err);
      if (rc) print_error("%s\n", err);
      assert_int_equal(rc, 0);
    }
    gb_run_meta_clear(&r->meta);
    free(res.cadence);
    free(res.steps);
    free(res.bouts);
    free(res.events);
  }
  /* flags: a recent run flag and an old one for A, a recent load flag for A, one for B */
  memset(s->flags, 0, sizeof s->flags);
  long d21 = 0, d01 = 0;
  assert_int_equal(rp_iso_day("2026-11-21", &d21), 0);
  assert_int_equal(rp_iso_day("2026-10-01", &d01), 0);
  snprintf(s->flags[0].run_id, GB_ID_MAX, "A_2026-11-21");
  snprintf(s->flags[0].athlete, GB_ID_MAX, "%s", ATH_A);
  s->flags[0].flag = (gb_flag){"impact.high", GB_SEV_HIGH, 60, 90, 9.5, 8, "PTA 9.5 g over 8 g"};
  snprintf(s->flags[1].run_id, GB_ID_MAX, "A_2026-10-01");
  snprintf(s->flags[1].athlete, GB_ID_MAX, "%s", ATH_A);
  s->flags[1].flag = (gb_flag){"cadence.low", GB_SEV_INFO, 0, 10, 150, 160, "old flag, \"quoted\""};
  snprintf(s->flags[2].athlete, GB_ID_MAX, "%s", ATH_A);
  s->flags[2].flag = (gb_flag){"load.weekly_ramp", GB_SEV_WARN, (double)(d21 - 6), (double)d21,
                               35.0, 30.0, "2-week change +35 % (> 30 %)"};
  snprintf(s->flags[3].run_id, GB_ID_MAX, "C_bad");
  snprintf(s->flags[3].athlete, GB_ID_MAX, "b.b");
  s->flags[3].flag = (gb_flag){"quality.clipping", GB_SEV_WARN, 1, 2, NAN, 0.05, "clipped"};
  snprintf(s->flags[4].run_id, GB_ID_MAX, "A_2026-11-21");
  snprintf(s->flags[4].athlete, GB_ID_MAX, "%s", ATH_A);
  s->flags[4].flag = (gb_flag){"landing.rearfoot", GB_SEV_INFO, 0, 1800, 0.8, 0.5, "rearfoot"};

  /* A: 20 days of load ending 2026-11-21; base established from day 14 */
  for (int k = 0; k < 20; k++) {
    gb_daily_row *d = &s->daily[k];
    memset(d, 0, sizeof *d);
    d->day = d21 - 19 + k;
    rp_day_text((long)d->day, d->date, sizeof d->date);
    d->duration_s = 1800 + k;
    d->steps = 5000 + k;
    d->impact = 30000.5 + k;
    d->load = d->duration_s;
    int base = k >= 14;
    d->acute_rolling = base ? 1900.0 + k : NAN;
    d->chronic_rolling = base ? 1500.0 : NAN;
    d->acwr_rolling = base ? d->acute_rolling / 1500.0 : NAN;
    d->acute_ewma = base ? 1800.25 : NAN;
    d->chronic_ewma = base ? 1400.75 : NAN;
    d->acwr_ewma = base ? 1800.25 / 1400.75 : NAN;
    d->base_established = base;
  }
  for (int k = 0; k < 3; k++) {
    gb_weekly_row *w = &s->weekly[k];
    memset(w, 0, sizeof *w);
    w->iso_year = 2026;
    w->iso_week = 45 + k;
    snprintf(w->week, sizeof w->week, "2026-W%02d", 45 + k);
    w->n_sessions = 3 + k;
    w->duration_s = 10000.0 * (k + 1);
    w->steps = 30000.0 * (k + 1);
    w->impact = 1e5 * (k + 1);
    w->load = w->duration_s;
    w->change_pct = k == 0 ? NAN : 100.0 / k;
    w->change_2wk_pct = k < 2 ? NAN : 35.0;
    w->base_established = k == 2;
  }
  s->load_a = (gb_load_result){s->daily, 20, s->weekly, 3, NULL, 0};
  s->load_b = (gb_load_result){NULL, 0, NULL, 0, NULL, 0};
  s->ath[0] = (gb_athlete_load){"", &s->load_a};
  snprintf(s->ath[0].athlete, GB_ID_MAX, "%s", ATH_A);
  s->ath[1] = (gb_athlete_load){"b.b", &s->load_b};
  s->ath[2] = (gb_athlete_load){"b/b", NULL}; /* sanitizes to the same name as b.b */
  snprintf(s->errors[0].path, GB_PATH_MAX, "data/c_bad.wav");
  snprintf(s->errors[0].message, sizeof s->errors[0].message,
           "data/c_bad.wav: truncated WAV, expected 48000 frames, got 12");

  snprintf(s->summary, sizeof s->summary, "%s/summary.h5", dir);
  int rc = gb_report_write_summary_at(s->summary, "2026-11-23T08:00:00Z", s->runs, 3, s->flags,
                                      5, s->ath, 3, s->errors, 1, err, sizeof err);
  if (rc) print_error("%s\n", err);
  assert_int_equal(rc, 0);
}

static int setup(void **state)
{
  sfx *s = calloc(1, sizeof *s);
  fx_tmpdir(s->dir, sizeof s->dir);
  build(s, s->dir);
  *state = s;
  return 0;
}

static int teardown(void **state)
{
  sfx *s = *state;
  fx_rmtree(s->dir);
  free(s);
  return 0;
}

static void test_runs_roundtrip(void **state)
{
  sfx *s = *state;
  gb_summary_run *r = NULL;
  size_t n = 0;
  char err[512] = "";
  assert_int_equal(gb_report_read_summary_runs(s->summary, &r, &n, err, sizeof err), 0);
  assert_int_equal(n, 3);
  for (size_t i = 0; i < n; i++) {
    const gb_summary_run *a = &s->runs[i], *b = &r[i];
    assert_string_equal(a->meta.run_id, b->meta.run_id);
    assert_string_equal(a->meta.athlete, b->meta.athlete);
    assert_string_equal(a->meta.start_iso, b->meta.start_iso);
    assert_string_equal(a->meta.path, b->meta.path);
    assert_int_equal(a->meta.location, b->meta.location);
    assert_int_equal(a->meta.channels, b->meta.channels);
    FX_F(a->meta.full_scale_g, b->meta.full_scale_g);
    assert_string_equal(a->report_relpath, b->report_relpath);
    assert_int_equal(a->status, b->status);
    assert_int_equal(a->reanalysed, b->reanalysed);
    assert_int_equal(a->n_flags_info, b->n_flags_info);
    assert_int_equal(a->n_flags_warn, b->n_flags_warn);
    assert_int_equal(a->n_flags_high, b->n_flags_high);
    assert_string_equal(a->prov.input_hash, b->prov.input_hash);
    assert_string_equal(a->prov.config_hash, b->prov.config_hash);
    assert_int_equal(a->prov.analysis_version, b->prov.analysis_version);
    fx_check_summary(&a->summary, &b->summary);
  }
  free(r);

  gb_error_row *e = NULL;
  assert_int_equal(gb_report_read_summary_errors(s->summary, &e, &n, err, sizeof err), 0);
  assert_int_equal(n, 1);
  assert_string_equal(e[0].path, s->errors[0].path);
  assert_string_equal(e[0].message, s->errors[0].message);
  free(e);

  /* GB_REPORT_KEEP_DIR: also write these reports there for manual checks
   * (scripts/read_report.py, h5dump, MATLAB, R). */
  const char *keep = getenv("GB_REPORT_KEEP_DIR");
  if (keep && *keep) {
    sfx *k = calloc(1, sizeof *k);
    build(k, keep);
    free(k);
  }
}

static void test_flags_roundtrip(void **state)
{
  sfx *s = *state;
  gb_flag_row *f = NULL;
  size_t n = 0;
  char err[512] = "";
  assert_int_equal(gb_report_read_summary_flags(s->summary, &f, &n, err, sizeof err), 0);
  assert_int_equal(n, 5);
  for (size_t i = 0; i < n; i++) {
    assert_string_equal(f[i].run_id, s->flags[i].run_id);
    assert_string_equal(f[i].athlete, s->flags[i].athlete);
    fx_check_flag(&s->flags[i].flag, &f[i].flag);
  }
  free(f);
  /* a run report is not a summary */
  char path[600];
  snprintf(path, sizeof path, "%s/runs/A_2026-11-21.h5", s->dir);
  assert_int_equal(gb_report_read_summary_flags(path, &f, &n, err, sizeof err), GB_EFORMAT);
  assert_non_null(strstr(err, path));
}

static void test_load_roundtrip_and_names(void **state)
{
  sfx *s = *state;
  gb_daily_row *d = NULL;
  gb_weekly_row *w = NULL;
  size_t nd = 0, nw = 0;
  char err[512] = "";
  assert_int_equal(gb_report_read_summary_load(s->summary, ATH_A, &d, &nd, &w, &nw, err, sizeof err), 0);
  assert_int_equal(nd, 20);
  assert_int_equal(nw, 3);
  for (size_t k = 0; k < nd; k++) {
    const gb_daily_row *a = &s->daily[k];
    assert_int_equal(a->day, d[k].day);
    assert_string_equal(a->date, d[k].date);
    FX_F(a->duration_s, d[k].duration_s);
    FX_F(a->steps, d[k].steps);
    FX_F(a->impact, d[k].impact);
    FX_F(a->load, d[k].load);
    FX_F(a->acute_rolling, d[k].acute_rolling);
    FX_F(a->chronic_rolling, d[k].chronic_rolling);
    FX_F(a->acwr_rolling, d[k].acwr_rolling);
    FX_F(a->acute_ewma, d[k].acute_ewma);
    FX_F(a->chronic_ewma, d[k].chronic_ewma);
    FX_F(a->acwr_ewma, d[k].acwr_ewma);
    assert_int_equal(a->base_established, d[k].base_established);
  }
  for (size_t k = 0; k < nw; k++) {
    const gb_weekly_row *a = &s->weekly[k];
    assert_int_equal(a->iso_year, w[k].iso_year);
    assert_int_equal(a->iso_week, w[k].iso_week);
    assert_string_equal(a->week, w[k].week);
    assert_int_equal(a->n_sessions, w[k].n_sessions);
    FX_F(a->duration_s, w[k].duration_s);
    FX_F(a->steps, w[k].steps);
    FX_F(a->impact, w[k].impact);
    FX_F(a->load, w[k].load);
    FX_F(a->change_pct, w[k].change_pct);
    FX_F(a->change_2wk_pct, w[k].change_2wk_pct);
    assert_int_equal(a->base_established, w[k].base_established);
  }
  free(d);
  free(w);
  /* both colliding athletes are there, with empty tables */
  assert_int_equal(gb_report_read_summary_load(s->summary, "b.b", &d, &nd, &w, &nw, err, sizeof err), 0);
  assert_int_equal(nd + nw, 0);
  assert_int_equal(gb_report_read_summary_load(s->summary, "b/b", &d, &nd, &w, &nw, err, sizeof err), 0);
  assert_int_equal(gb_report_read_summary_load(s->summary, "zz", &d, &nd, &w, &nw, err, sizeof err),
                   GB_ENOENT);

  hid_t h = H5Fopen(s->summary, H5F_ACC_RDONLY, H5P_DEFAULT);
  assert_true(h >= 0);
  assert_true(H5Lexists(h, "athletes/A_1_x/daily", H5P_DEFAULT) > 0);
  assert_true(H5Lexists(h, "athletes/b_b/weekly", H5P_DEFAULT) > 0);
  assert_true(H5Lexists(h, "athletes/b_b_2/weekly", H5P_DEFAULT) > 0);
  /* external links resolve to the run reports (relative to the summary's folder) */
  hid_t o = H5Oopen(h, "run/A_2026-11-21", H5P_DEFAULT);
  assert_true(o >= 0);
  char schema[64];
  assert_int_equal(rp_attr_read_str(o, "schema", schema, sizeof schema), 0);
  assert_string_equal(schema, "gaitbatch.run");
  H5Oclose(o);
  assert_true(H5Lexists(h, "run/C_bad", H5P_DEFAULT) == 0); /* failed run: no link */
  int32_t nr = 0, nf = 0;
  assert_int_equal(rp_attr_read_i32(h, "n_runs", &nr), 0);
  assert_int_equal(rp_attr_read_i32(h, "n_failed", &nf), 0);
  assert_int_equal(nr, 3);
  assert_int_equal(nf, 1);
  H5Fclose(h);
}

static void test_byte_identical(void **state)
{
  sfx *s = *state;
  char other[512], err[512] = "";
  snprintf(other, sizeof other, "%s/summary2.h5", s->dir);
  assert_int_equal(gb_report_write_summary_at(other, "2026-11-23T08:00:00Z", s->runs, 3, s->flags,
                                              5, s->ath, 3, s->errors, 1, err, sizeof err), 0);
  char cmd[1200];
  snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", s->summary, other);
  assert_int_equal(system(cmd), 0);
}

/* Runs show into a file and returns its text (caller frees). */
static char *show(const char *path, gb_show_format fmt, const char *dir)
{
  char out[600], err[512] = "";
  snprintf(out, sizeof out, "%s/show.out", dir);
  FILE *fp = fopen(out, "w+");
  int rc = gb_report_show(path, fmt, fp, err, sizeof err);
  if (rc) print_error("%s\n", err);
  assert_int_equal(rc, 0);
  long n = ftell(fp);
  rewind(fp);
  char *text = calloc(1, (size_t)n + 1);
  assert_int_equal(fread(text, 1, (size_t)n, fp), (size_t)n);
  fclose(fp);
  return text;
}

/* The python3 to use, found once: "" when none; with_h5py asks for h5py + pandas.
 * /usr/bin/python3 first: Debian's python3-h5py lives there. */
static const char *find_python(int with_h5py)
{
  static int done[2];
  static const char *found[2];
  if (!done[with_h5py]) {
    const char *cands[] = {"/usr/bin/python3", "python3"};
    const char *mods = with_h5py ? "import h5py, pandas" : "import json";
    found[with_h5py] = "";
    for (size_t i = 0; i < 2; i++) {
      char cmd[256];
      snprintf(cmd, sizeof cmd, "%s -c '%s' >/dev/null 2>&1", cands[i], mods);
      if (system(cmd) == 0) {
        found[with_h5py] = cands[i];
        break;
      }
    }
    done[with_h5py] = 1;
  }
  return found[with_h5py];
}

/* python3's json module checks the JSON; skipped without python3. */
static void check_json(const char *dir)
{
  const char *py = find_python(0);
  if (!*py) return;
  char cmd[1200];
  snprintf(cmd, sizeof cmd, "%s -c 'import json,sys; json.load(open(sys.argv[1]))' '%s/show.out'",
           py, dir);
  assert_int_equal(system(cmd), 0);
}

static void test_show_summary(void **state)
{
  sfx *s = *state;
  char *t = show(s->summary, GB_SHOW_TEXT, s->dir);
  assert_non_null(strstr(t, "athlete A/1.x: 2 run(s), last data 2026-11-21"));
  assert_non_null(strstr(t, "week 2026-W47: 5 session(s)"));
  assert_non_null(strstr(t, "+50.0 % vs previous week, +35.0 % over 2 weeks"));
  assert_non_null(strstr(t, "ACWR on 2026-11-21: rolling 7/28 1.28, EWMA 1.29"));
  assert_non_null(strstr(t, "[high] impact.high"));
  assert_non_null(strstr(t, "[warn] load.weekly_ramp"));
  assert_non_null(strstr(t, "2026-11-15..2026-11-21"));
  /* the info flag of the recent run counts; the one of the 2026-10-01 run is closed */
  assert_non_null(strstr(t, "open flags (last 14 days of data): 3\n"));
  assert_non_null(strstr(t, "    [info] landing.rearfoot x1\n"));
  assert_null(strstr(t, "cadence.low"));
  assert_non_null(strstr(t, "truncated WAV"));
  assert_non_null(strstr(t, "athlete b.b: 1 run(s), last data ?"));
  assert_non_null(strstr(t, "[warn] quality.clipping"));
  free(t);

  t = show(s->summary, GB_SHOW_CSV, s->dir);
  assert_true(strncmp(t, "run_id,athlete,start,location,path,report,status,reanalysed,duration_s", 70) == 0);
  int lines = 0;
  for (char *p = t; *p; p++) lines += *p == '\n';
  assert_int_equal(lines, 4);
  assert_non_null(strstr(t, "\nA_2026-11-21,A/1.x,2026-11-21T07:00:00Z,tibia,"));
  free(t);

  t = show(s->summary, GB_SHOW_JSON, s->dir);
  assert_true(strncmp(t, "{\"schema\": \"gaitbatch.summary\"", 30) == 0);
  assert_non_null(strstr(t, "\"n_failed\": 1"));
  check_json(s->dir);
  free(t);
}

static void test_show_run(void **state)
{
  sfx *s = *state;
  char path[600];
  snprintf(path, sizeof path, "%s/runs/A_2026-11-21.h5", s->dir);
  char *t = show(path, GB_SHOW_TEXT, s->dir);
  assert_non_null(strstr(t, "run          A_2026-11-21\n"));
  assert_non_null(strstr(t, "cadence      mean 171.2 spm, median 172.0 spm"));
  assert_non_null(strstr(t, "landing      mixed (rearfoot share 0.81"));
  assert_non_null(strstr(t, "flags        2\n"));
  assert_non_null(strstr(t, "[info] impact.high"));
  free(t);
  t = show(path, GB_SHOW_CSV, s->dir);
  assert_true(strncmp(t, "run_id,athlete,start,duration_s,sample_rate_hz,cadence_mean_spm", 63) == 0);
  assert_non_null(strstr(t, "\nA_2026-11-21,A/1.x,2026-11-21T07:00:00Z,1800.142857142857,333.3333333333333,171.25,172,"));
  free(t);
  t = show(path, GB_SHOW_JSON, s->dir);
  assert_non_null(strstr(t, "\"meta_shoe\": \"Kayano=27\""));
  assert_non_null(strstr(t, "\"trunk_lean_deg\": null"));
  check_json(s->dir);
  free(t);
  /* not a report */
  char err[512] = "";
  snprintf(path, sizeof path, "%s/nothing.h5", s->dir);
  FILE *fp = fopen("/dev/null", "w");
  assert_int_equal(gb_report_show(path, GB_SHOW_TEXT, fp, err, sizeof err), GB_ENOENT);
  fclose(fp);
  assert_non_null(strstr(err, path));
}

/* scripts/read_report.py on this summary, where python3 has h5py and pandas. */
static void test_python_example(void **state)
{
  sfx *s = *state;
  const char *src = getenv("GB_SOURCE_DIR");
  const char *py = find_python(1);
  if (!src || !*py) {
    printf("[  SKIPPED ] python3 with h5py and pandas or GB_SOURCE_DIR absent\n");
    skip();
    return;
  }
  char cmd[2048];
  snprintf(cmd, sizeof cmd, "%s '%s/scripts/read_report.py' '%s' --athlete 'A/1.x' > '%s/py.out' 2>&1",
           py, src, s->summary, s->dir);
  int rc = system(cmd);
  if (rc != 0) {
    snprintf(cmd, sizeof cmd, "cat '%s/py.out'", s->dir);
    (void)system(cmd);
  }
  assert_int_equal(rc, 0);
  snprintf(cmd, sizeof cmd, "grep -q '2026-W47' '%s/py.out' && grep -q 'A_2026-11-21' '%s/py.out'",
           s->dir, s->dir);
  assert_int_equal(system(cmd), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_runs_roundtrip, setup, teardown),
    cmocka_unit_test_setup_teardown(test_flags_roundtrip, setup, teardown),
    cmocka_unit_test_setup_teardown(test_load_roundtrip_and_names, setup, teardown),
    cmocka_unit_test_setup_teardown(test_byte_identical, setup, teardown),
    cmocka_unit_test_setup_teardown(test_show_summary, setup, teardown),
    cmocka_unit_test_setup_teardown(test_show_run, setup, teardown),
    cmocka_unit_test_setup_teardown(test_python_example, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
