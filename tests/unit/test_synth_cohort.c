/* Cohorts: manifest rows and files, planted load scenarios, and the expected load flags checked
 * against a second implementation of the load rules (include/gaitbatch/synth.h, cohort.c)
 * applied to the recordings' real durations and the manifest's start dates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sndfile.h>

#include "gaitbatch/config.h"
#include "gaitbatch/status.h"
#include "gaitbatch/synth.h"

#define MAXR 400

typedef struct row {
  char path[128], run_id[64], athlete[16], start[40], scenario[32];
  double scale;
  long day;      /* days since 1970-01-01 */
  double dur;    /* recording duration from the file */
} row;

static long days_from_civil(int y, int m, int d)
{
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void date_of(long day, char *buf)
{
  /* inverse by search from 2026-01-01: small range */
  for (int y = 2025; y <= 2040; y++)
    for (int m = 1; m <= 12; m++)
      for (int d = 1; d <= 31; d++)
        if (days_from_civil(y, m, d) == day) {
          sprintf(buf, "%04d-%02d-%02d", y, m, d);
          return;
        }
  fail();
}

static int read_manifest(const char *dir, row *r)
{
  char p[512], line[512];
  snprintf(p, sizeof p, "%s/manifest.csv", dir);
  FILE *f = fopen(p, "r");
  assert_non_null(f);
  assert_non_null(fgets(line, sizeof line, f));
  assert_string_equal(line, "path,run_id,athlete,start,location,units,full_scale_g,scenario,rate_hz,format,seed,minutes_scale\n");
  int n = 0;
  while (fgets(line, sizeof line, f)) {
    assert_true(n < MAXR);
    row *x = &r[n];
    char loc[16], units[8], fmt[16];
    double fsg, rate;
    unsigned long long seed;
    assert_int_equal(sscanf(line, "%127[^,],%63[^,],%15[^,],%39[^,],%15[^,],%7[^,],%lf,%31[^,],%lf,%15[^,],%llu,%lf",
                            x->path, x->run_id, x->athlete, x->start, loc, units, &fsg, x->scenario, &rate, fmt,
                            &seed, &x->scale), 12);
    int y, m, d;
    assert_int_equal(sscanf(x->start, "%d-%d-%dT", &y, &m, &d), 3);
    x->day = days_from_civil(y, m, d);
    snprintf(p, sizeof p, "%.300s/%.127s", dir, x->path);
    SF_INFO info = {0};
    SNDFILE *sf = sf_open(p, SFM_READ, &info);
    assert_non_null(sf);
    sf_close(sf);
    x->dur = (double)info.frames / info.samplerate;
    n++;
  }
  fclose(f);
  return n;
}

/* expected flags by the rules, as "athlete,run_id,code,date" lines sorted into buf */
static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int rules(const row *r, int n, char **out)
{
  int no = 0;
  for (int i = 0; i < n;) {
    int j = i;
    while (j < n && strcmp(r[j].athlete, r[i].athlete) == 0) j++;
    long d0 = r[i].day;
    double scale = r[i].scale;
    for (int k = i; k < j; k++) {
      char date[16], line[160];
      date_of(r[k].day, date);
      double longest = -1;
      for (int q = i; q < k; q++)
        if (r[q].day >= r[k].day - 30 && r[q].day < r[k].day && r[q].dur > longest) longest = r[q].dur;
      if (longest > 0 && r[k].dur > 1.10 * longest) {
        snprintf(line, sizeof line, "%s,%s,load.session_spike,%s", r[k].athlete, r[k].run_id, date);
        out[no++] = strdup(line);
      }
      if (r[k].day - d0 >= 27) {
        double a = 0, c = 0;
        for (int q = i; q < j; q++) {
          if (r[q].day > r[k].day || r[q].day < r[k].day - 27) continue;
          c += r[q].dur;
          if (r[q].day >= r[k].day - 6) a += r[q].dur;
        }
        if ((a / 7) / (c / 28) > 1.5) {
          snprintf(line, sizeof line, "%s,%s,load.acwr_high,%s", r[k].athlete, r[k].run_id, date);
          out[no++] = strdup(line);
        }
      }
      if (r[k].day - d0 < 28 && r[k].dur >= fmax(60.0, 1800 * scale)) {
        snprintf(line, sizeof line, "%s,%s,load.no_base,%s", r[k].athlete, r[k].run_id, date);
        out[no++] = strdup(line);
      }
    }
    /* ISO weeks: the cohort starts on a Monday, weeks counted from 2026-01-05 */
    long mon0 = days_from_civil(2026, 1, 5);
    double wk[600] = {0};
    int wf = (int)((r[i].day - mon0) / 7), wl = (int)((r[j - 1].day - mon0) / 7);
    for (int k = i; k < j; k++) wk[(r[k].day - mon0) / 7] += r[k].dur;
    for (int w = wf + 1; w <= wl; w++) {
      int hit = wk[w - 1] > 0 && wk[w] / wk[w - 1] > 1.10;
      if (w - 3 >= wf && (wk[w] + wk[w - 1]) / (wk[w - 2] + wk[w - 3]) > 1.30) hit = 1;
      if (hit) {
        char date[16], line[160];
        date_of(mon0 + 7 * w, date);
        snprintf(line, sizeof line, "%s,,load.weekly_ramp,%s", r[i].athlete, date);
        out[no++] = strdup(line);
      }
    }
    i = j;
  }
  qsort(out, (size_t)no, sizeof *out, cmp_str);
  return no;
}

static void test_cohort(void **state)
{
  (void)state;
  char tmpl[] = "/tmp/gb_synth_coh_XXXXXX";
  char *dir = mkdtemp(tmpl);
  assert_non_null(dir);
  gb_synth_cohort c;
  gb_synth_cohort_init(&c);
  c.athletes = 5;
  c.weeks = 8;
  c.sample_rate_hz = 50;
  c.channels = 1;
  c.seed = 3;
  int64_t nruns = 0;
  char err[256];
  assert_int_equal(gb_synth_cohort_write(&c, dir, &nruns, err, sizeof err), GB_OK);
  static row r[MAXR];
  int n = read_manifest(dir, r);
  assert_int_equal(n, (int)nruns);
  /* 3 or 4 sessions a week, plus two extra in the weekly-ramp athlete's week, minus one for no-base */
  assert_int_equal(n, 3 * 8 + (4 * 8 + 2) + 3 * 8 + (4 * 8 - 1) + 3 * 8);
  assert_string_equal(r[0].scenario, "steady");
  assert_string_equal(r[n - 1].scenario, "nowarmup");
  for (int i = 0; i < n; i++) {
    char p[512];
    snprintf(p, sizeof p, "%s/truth/%s/steps.csv", dir, r[i].run_id);
    FILE *f = fopen(p, "r");
    assert_non_null(f);
    fclose(f);
  }
  /* load flags: the rules re-implemented here against the recorded durations */
  char *expect[MAXR * 4];
  int ne = rules(r, n, expect);
  char p[512], line[256];
  snprintf(p, sizeof p, "%s/truth/load_flags.csv", dir);
  FILE *f = fopen(p, "r");
  assert_non_null(f);
  assert_non_null(fgets(line, sizeof line, f));
  assert_string_equal(line, "athlete,run_id,code,date\n");
  char *got[MAXR * 4];
  int ng = 0;
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = '\0';
    got[ng++] = strdup(line);
  }
  fclose(f);
  qsort(got, (size_t)ng, sizeof *got, cmp_str);
  for (int i = 0; i < ng; i++) printf("load flag: %s\n", got[i]);
  assert_int_equal(ng, ne);
  for (int i = 0; i < ng; i++) assert_string_equal(got[i], expect[i]);
  /* planted scenarios present; the steady builder and the no-warm-up runner have no load flag */
  int ramp = 0, spike = 0, nobase = 0;
  for (int i = 0; i < ng; i++) {
    ramp += strncmp(got[i], "A02,", 4) == 0 && strstr(got[i], "load.weekly_ramp") != NULL;
    spike += strncmp(got[i], "A03,", 4) == 0 && strstr(got[i], "load.session_spike") != NULL;
    nobase += strncmp(got[i], "A04,", 4) == 0 && strstr(got[i], "load.no_base") != NULL;
    assert_true(strncmp(got[i], "A01,", 4) != 0 && strncmp(got[i], "A05,", 4) != 0);
  }
  assert_true(ramp >= 1);
  assert_int_equal(spike, 1);
  assert_int_equal(nobase, 1);
  /* run-level truth of the no-warm-up runner */
  snprintf(p, sizeof p, "%s/truth/%s/flags.csv", dir, r[n - 1].run_id);
  f = fopen(p, "r");
  assert_non_null(f);
  int warm = 0;
  while (fgets(line, sizeof line, f)) warm += strncmp(line, "warmup.missing,", 15) == 0;
  fclose(f);
  assert_int_equal(warm, 1);
  /* every other session plants a warm-up (events.csv "warmup", a quarter of the session) */
  for (int i = 0; i < n; i++) {
    snprintf(p, sizeof p, "%s/truth/%s/events.csv", dir, r[i].run_id);
    f = fopen(p, "r");
    assert_non_null(f);
    int wu = 0, wm = 0;
    double t0 = 0, t1 = 0;
    while (fgets(line, sizeof line, f)) {
      if (strncmp(line, "warmup,", 7) == 0) {
        wu++;
        assert_int_equal(sscanf(line + 7, "%lf,%lf", &t0, &t1), 2);
      }
      wm += strncmp(line, "warmup_missing,", 15) == 0;
    }
    fclose(f);
    int nowarm = strcmp(r[i].scenario, "nowarmup") == 0;
    assert_int_equal(wu, nowarm ? 0 : 1);
    assert_int_equal(wm, nowarm ? 1 : 0);
    if (!nowarm) assert_true(fabs((t1 - t0) - 0.25 * r[i].dur) < 0.5 || t1 - t0 < 0.25 * r[i].dur);
  }
  /* the dataset's own config: the session-duration thresholds scaled like the
     sessions (minutes_scale), everything else the defaults, and it loads */
  gb_config def, got_cfg;
  gb_config_defaults(&def);
  gb_config_defaults(&got_cfg);
  snprintf(p, sizeof p, "%s/gaitbatch.ini", dir);
  assert_int_equal(gb_config_load_file(&got_cfg, p, err, sizeof err), GB_OK);
  const double k = c.minutes_scale;
  printf("gaitbatch.ini: no_base_min_s %g, warmup_window_s %g, fatigue_min_run_s %g (scale %g)\n",
         got_cfg.load.no_base_min_s, got_cfg.analysis.warmup_window_s, got_cfg.analysis.fatigue_min_run_s, k);
  assert_true(fabs(got_cfg.load.no_base_min_s - fmax(60.0, 1800.0 * k)) < 1e-9);
  assert_true(fabs(got_cfg.analysis.warmup_window_s - fmax(10.0, def.analysis.warmup_window_s * k)) < 1e-9);
  assert_true(fabs(got_cfg.analysis.fatigue_min_run_s - fmax(20.0, def.analysis.fatigue_min_run_s * k)) < 1e-9);
  got_cfg.load.no_base_min_s = def.load.no_base_min_s;
  got_cfg.analysis.warmup_window_s = def.analysis.warmup_window_s;
  got_cfg.analysis.fatigue_min_run_s = def.analysis.fatigue_min_run_s;
  assert_true(gb_config_hash(&got_cfg) == gb_config_hash(&def));
  char *ini = NULL;
  {
    FILE *fi = fopen(p, "r");
    assert_non_null(fi);
    static char text[1 << 15];
    size_t nr = fread(text, 1, sizeof text - 1, fi);
    text[nr] = '\0';
    fclose(fi);
    ini = text;
  }
  assert_non_null(strstr(ini, "SCALED CONFIG"));
  for (int i = 0; i < ng; i++) free(got[i]);
  for (int i = 0; i < ne; i++) free(expect[i]);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_cohort)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
