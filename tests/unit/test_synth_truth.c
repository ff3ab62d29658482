/* Truth files of single runs: expected flags per scenario, events, run facts, manifest. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaitbatch/status.h"
#include "gaitbatch/synth.h"

static char *slurp(const char *dir, const char *id, const char *name)
{
  char p[512];
  if (id) snprintf(p, sizeof p, "%s/truth/%s/%s", dir, id, name);
  else snprintf(p, sizeof p, "%s/%s", dir, name);
  FILE *f = fopen(p, "rb");
  assert_non_null(f);
  static char buf[1 << 16];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = '\0';
  fclose(f);
  return strdup(buf);
}

static int count(const char *text, const char *needle)
{
  int n = 0;
  for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle)) n++;
  return n;
}

typedef struct expect {
  const char *scenario;
  gb_location loc;
  double rate;
  const char *flags[4]; /* exactly these codes (NULL-terminated) */
  const char *event;    /* an event kind that must be present */
  int n_event;
} expect;

static void check(const expect *e)
{
  char tmpl[] = "/tmp/gb_synth_truth_XXXXXX";
  char *dir = mkdtemp(tmpl);
  assert_non_null(dir);
  gb_synth_spec s;
  gb_synth_spec_init(&s);
  s.seed = 11;
  s.duration_s = 240;
  s.sample_rate_hz = e->rate;
  s.location = e->loc;
  s.warmup_s = 30;
  s.surge_s = 15;
  assert_int_equal(gb_synth_apply_scenario(&s, e->scenario), GB_OK);
  gb_synth_result r;
  char err[256];
  assert_int_equal(gb_synth_single(&s, dir, "run", &r, err, sizeof err), GB_OK);
  char *flags = slurp(dir, "run", "flags.csv");
  char *events = slurp(dir, "run", "events.csv");
  char *run = slurp(dir, "run", "run.csv");
  char *man = slurp(dir, NULL, "manifest.csv");
  printf("%s @ %s %g Hz: flags\n%s", e->scenario, gb_location_name(e->loc), e->rate, flags);
  int nf = 0;
  for (; e->flags[nf]; nf++) {
    char code[64];
    snprintf(code, sizeof code, "\n%s,", e->flags[nf]);
    assert_true(count(flags, code) >= 1);
  }
  assert_int_equal(count(flags, "\n") - 1, nf + (e->n_event > 1 ? e->n_event - 1 : 0));
  if (e->event) {
    char kind[64];
    snprintf(kind, sizeof kind, "\n%s,", e->event);
    assert_int_equal(count(events, kind), e->n_event);
  }
  assert_non_null(strstr(run, "\nduration_s,240.000000\n"));
  char line[128];
  snprintf(line, sizeof line, "\nn_steps,%lld\n", (long long)r.n_steps);
  assert_non_null(strstr(run, line));
  snprintf(line, sizeof line, "\nlocation,%s\n", gb_location_name(e->loc));
  assert_non_null(strstr(run, line));
  snprintf(line, sizeof line, "\nrun.wav,run,synth,2026-01-05T07:00:00Z,%s,g,16,%s,", gb_location_name(e->loc),
           e->scenario);
  assert_non_null(strstr(man, line));
  free(flags);
  free(events);
  free(run);
  free(man);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
}

static void test_scenarios(void **state)
{
  (void)state;
  static const expect cases[] = {
    {"steady", GB_LOC_TIBIA, 200, {NULL}, "warmup", 1},
    {"heel", GB_LOC_TIBIA, 500, {"impact.high", "landing.rearfoot", NULL}, "warmup", 1},
    {"heel", GB_LOC_WRIST, 200, {NULL}, NULL, 0},
    {"nowarmup", GB_LOC_SACRUM, 100, {"warmup.missing", NULL}, "warmup_missing", 1},
    {"lean", GB_LOC_SACRUM, 200, {"posture.trunk_lean", NULL}, "trunk_lean", 1},
    {"lean", GB_LOC_TIBIA, 200, {NULL}, "trunk_lean", 1},
    {"surges", GB_LOC_TIBIA, 200, {"intensity.surge", NULL}, "surge", 3},
    {"fatigue", GB_LOC_SACRUM, 200, {"fatigue.drift", NULL}, "fatigue_drift", 1},
    {"irregular", GB_LOC_TIBIA, 200, {"surface.irregular", NULL}, "irregular", 1},
    {"asym", GB_LOC_TRUNK, 200, {"gait.asymmetry", NULL}, "asymmetry", 1},
    {"steady", GB_LOC_TIBIA, 50, {"quality.low_rate", NULL}, "warmup", 1},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) check(&cases[i]);
}

static void test_stop_events(void **state)
{
  (void)state;
  /* one mid-run stop and an abrupt end: two abrupt_stop events and flags */
  static const expect e = {"stop", GB_LOC_SACRUM, 100, {"event.abrupt_stop", NULL}, "abrupt_stop", 2};
  check(&e);
}

/* The "asym" scenario plants its asymmetry where a trunk sensor can see it: the
 * favoured leg's shorter contact raises its ground-force peak (the step's impulse is
 * body weight x step time), so the truth peaks of a trunk recording differ by the
 * planted symmetry index between the two feet, as they do at the shank. */
static void test_asymmetry_in_truth_peaks(void **state)
{
  (void)state;
  const gb_location locs[2] = {GB_LOC_TRUNK, GB_LOC_SACRUM};
  for (int k = 0; k < 2; k++) {
    char tmpl[] = "/tmp/gb_synth_asym_XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    gb_synth_spec s;
    gb_synth_spec_init(&s);
    s.seed = 5;
    s.duration_s = 120;
    s.sample_rate_hz = 200;
    s.location = locs[k];
    s.warmup_s = 0;
    assert_int_equal(gb_synth_apply_scenario(&s, "asym"), GB_OK);
    char err[256];
    assert_int_equal(gb_synth_single(&s, dir, "run", NULL, err, sizeof err), GB_OK);
    char p[512], line[256];
    snprintf(p, sizeof p, "%s/truth/run/steps.csv", dir);
    FILE *f = fopen(p, "r");
    assert_non_null(f);
    assert_non_null(fgets(line, sizeof line, f));
    double sum[2] = {0, 0}, tc[2] = {0, 0};
    int n[2] = {0, 0};
    while (fgets(line, sizeof line, f)) {
      double t, ct, pk;
      int side;
      char land[16];
      if (sscanf(line, "%lf,%d,%15[^,],%lf,%lf", &t, &side, land, &ct, &pk) != 5) continue;
      if (strcmp(land, "rearfoot") == 0 && s.rearfoot_share < 0.5) continue; /* walking steps */
      sum[side] += pk;
      tc[side] += ct;
      n[side]++;
    }
    fclose(f);
    assert_true(n[0] > 100 && n[1] > 100);
    double l = sum[0] / n[0], r = sum[1] / n[1];
    double si = 100.0 * (l - r) / (0.5 * (l + r));
    printf("  %s: peak %.3f g vs %.3f g, SI %.1f %% (planted %.0f %%); contact %.0f vs %.0f ms\n",
           gb_location_name(locs[k]), l, r, si, s.asymmetry_pct, tc[0] / n[0], tc[1] / n[1]);
    assert_true(fabs(si - s.asymmetry_pct) < 3.0);
    assert_true(tc[0] / n[0] < tc[1] / n[1]); /* the harder-landing leg: shorter contact */
    snprintf(p, sizeof p, "rm -rf '%s'", dir);
    assert_int_equal(system(p), 0);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_scenarios),
    cmocka_unit_test(test_stop_events),
    cmocka_unit_test(test_asymmetry_in_truth_peaks),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
