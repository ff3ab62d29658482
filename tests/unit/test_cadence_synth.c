/* Cadence through the whole analyzer on synthetic signals whose step rate is
 * known by construction: sinusoids and pulse trains from 70 to 220 spm at 50 to
 * 1000 Hz with white noise (median within ±0.5 spm), shank-style stride signals
 * (reported as step cadence), trunk walking (not halved or doubled) and running,
 * lower-back walking from the step generator of helpers/signals.c with left/right
 * asymmetry or a push-off bump (the spectra behind halved and doubled walking
 * cadences), and block-size invariance of the cadence rows. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gaitbatch/analyzer.h"
#include "gaitbatch/config.h"
#include "helpers/signals.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* ---- deterministic noise (xorshift64* + Box-Muller) -------------------------- */
static uint64_t g_rng = 88172645463325252ull;
static double urand(void)
{
  g_rng ^= g_rng >> 12;
  g_rng ^= g_rng << 25;
  g_rng ^= g_rng >> 27;
  return ((g_rng * 2685821657736338717ull) >> 11) * (1.0 / 9007199254740992.0);
}
static double grand(void)
{
  double u = urand(), v = urand();
  if (u < 1e-300) u = 1e-300;
  return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

typedef enum { SIG_SINE, SIG_PULSE, SIG_SHANK, SIG_TRUNK_WALK, SIG_TRUNK_WALK_ASYM, SIG_TRUNK_RUN, SIG_TRUNK_RUN_LIMP, SIG_FOOT_WALK } sig_kind;

/* Vertical acceleration (g, gravity included) at time t for step rate f (Hz). */
static double signal_at(sig_kind k, double t, double f)
{
  double T = 1.0 / f, x = 1.0;
  switch (k) {
  case SIG_SINE:
    return 1.0 + 0.3 * sin(2 * M_PI * f * t + 0.4);
  case SIG_PULSE: { /* a 15 ms Gaussian heel-strike pulse of 1 g at every step */
    double n = floor(t / T + 0.5), d = t - n * T;
    return 1.0 + exp(-0.5 * (d / 0.015) * (d / 0.015));
  }
  case SIG_SHANK: { /* own leg every stride (5 g), other leg 25 %, swing at stride rate */
    double n = floor(t / T + 0.5), d = t - n * T;
    double amp = ((long)n % 2 == 0) ? 5.0 : 1.25;
    return 1.0 + amp * exp(-0.5 * (d / 0.01) * (d / 0.01)) + 0.5 * sin(M_PI * f * t);
  }
  case SIG_FOOT_WALK: { /* stride-periodic, energy rising to the 4th stride harmonic */
    const double amp[4] = {0.15, 0.15, 0.3, 0.5}, ph[4] = {0.3, 1.1, 2.0, 0.7};
    for (int h = 0; h < 4; h++) x += amp[h] * sin(M_PI * f * (h + 1) * t + ph[h]);
    return x;
  }
  case SIG_TRUNK_WALK: /* step-rate oscillation, 2nd harmonic, weak stride asymmetry */
    return 1.0 + 0.25 * sin(2 * M_PI * f * t) + 0.1 * sin(4 * M_PI * f * t + 0.5) +
           0.04 * sin(M_PI * f * t + 1.0);
  case SIG_TRUNK_WALK_ASYM: /* smooth step oscillation and a strong stride line: harmonic
                               ratio (0.2) / (0.1 + 0.03) = 1.5, an impaired walker's */
    return 1.0 + 0.2 * sin(2 * M_PI * f * t) + 0.1 * sin(M_PI * f * t + 1.0) +
           0.03 * sin(3 * M_PI * f * t + 2.0);
  case SIG_TRUNK_RUN:
  case SIG_TRUNK_RUN_LIMP: { /* half-sine stance of 0.22 s, flight at 0 g, L/R differ */
    double n = floor(t / T), d = t - n * T, tc = 0.22, asym = k == SIG_TRUNK_RUN ? 0.1 : 0.45;
    double a = M_PI / 2 * T / tc * (((long)n % 2 == 0) ? 1 + asym : 1 - asym);
    x = d < tc ? a * sin(M_PI * d / tc) : 0.0;
    return x;
  }
  }
  return x;
}

typedef struct run_cfg {
  sig_kind kind;
  double spm, rate, seconds, noise;
  int channels;
  gb_location loc;
  size_t block;
} run_cfg;

static float *make_frames(const run_cfg *c, size_t *n_out)
{
  size_t n = (size_t)(c->seconds * c->rate);
  float *fr = malloc(n * (size_t)c->channels * sizeof(float));
  /* gravity axis tilted away from every device axis for 3-channel input */
  const double gdir[3] = {0.30, -0.90, 0.3162};
  double f = c->spm / 60.0;
  for (size_t i = 0; i < n; i++) {
    double t = (double)i / c->rate, v = signal_at(c->kind, t, f);
    if (c->channels == 1) {
      fr[i] = (float)(v + c->noise * grand());
    } else {
      for (int a = 0; a < 3; a++) fr[3 * i + a] = (float)(v * gdir[a] + c->noise * grand());
    }
  }
  *n_out = n;
  return fr;
}

static gb_result *analyze(const run_cfg *c, const float *fr, size_t n)
{
  gb_config cfg;
  gb_config_defaults(&cfg);
  gb_analyzer_input in = {c->rate, c->channels, c->loc, 0};
  gb_analyzer *a = NULL;
  assert_int_equal(gb_analyzer_create(&cfg.analysis, &in, &a), 0);
  size_t block = c->block ? c->block : 4096;
  for (size_t i = 0; i < n; i += block) {
    size_t m = n - i < block ? n - i : block;
    int rc = gb_analyzer_push(a, fr + i * (size_t)c->channels, m);
    if (rc) fail_msg("push: %s", gb_analyzer_errmsg(a));
  }
  gb_result *r = NULL;
  int rc = gb_analyzer_finish(a, &r);
  if (rc) fail_msg("finish: %s", gb_analyzer_errmsg(a));
  gb_analyzer_free(a);
  return r;
}

static int cmpf(const void *a, const void *b)
{
  float x = *(const float *)a, y = *(const float *)b;
  return (x > y) - (x < y);
}

/* Median of all window cadences (0 = no cadence counts, so a gap shows). */
static double median_cadence(const gb_result *r)
{
  if (r->n_cadence == 0) return 0;
  float *v = malloc(r->n_cadence * sizeof(float));
  for (size_t i = 0; i < r->n_cadence; i++) v[i] = r->cadence[i].cadence_spm;
  qsort(v, r->n_cadence, sizeof(float), cmpf);
  double m = v[r->n_cadence / 2];
  free(v);
  return m;
}

static double run_case(const run_cfg *c, double tol, const char *label)
{
  size_t n;
  float *fr = make_frames(c, &n);
  gb_result *r = analyze(c, fr, n);
  double med = median_cadence(r), err = med - c->spm;
  printf("  %-12s %6.1f spm @ %6.0f Hz: median %8.3f spm (error %+7.3f), %zu windows, conf %.2f\n",
         label, c->spm, c->rate, med, err, r->n_cadence,
         r->n_cadence ? r->cadence[r->n_cadence / 2].confidence : 0.0);
  if (fabs(err) > tol) fail_msg("%s %.0f spm at %.0f Hz: median %.3f", label, c->spm, c->rate, med);
  gb_result_free(r);
  free(fr);
  return err;
}

static const double k_spm[] = {70, 100, 140, 160, 180, 200, 220};
static const double k_rate[] = {50, 100, 500, 1000};

static void grid(sig_kind kind, const char *label)
{
  double worst = 0;
  for (size_t i = 0; i < sizeof k_spm / sizeof k_spm[0]; i++)
    for (size_t j = 0; j < sizeof k_rate / sizeof k_rate[0]; j++) {
      run_cfg c = {kind, k_spm[i], k_rate[j], 16, 0.1, 1, GB_LOC_UNKNOWN, 0};
      double e = fabs(run_case(&c, 0.5, label));
      worst = e > worst ? e : worst;
    }
  printf("  %s: worst |error| %.3f spm\n", label, worst);
}

static void test_sinusoids(void **state)
{
  (void)state;
  grid(SIG_SINE, "sine");
}

static void test_pulse_trains(void **state)
{
  (void)state;
  grid(SIG_PULSE, "pulse");
}

static void test_shank_stride(void **state)
{
  (void)state;
  const double spm[] = {100, 120, 170, 190};
  const double rate[] = {100, 500, 1000};
  for (size_t i = 0; i < 4; i++)
    for (size_t j = 0; j < 3; j++) {
      run_cfg c = {SIG_SHANK, spm[i], rate[j], 16, 0.2, 1, GB_LOC_TIBIA, 0};
      run_case(&c, 0.5, "shank");
      c.loc = GB_LOC_FOOT;
      c.channels = 3;
      run_case(&c, 0.5, "foot-3ch");
    }
}

/* A foot sensor in walking can put most of its energy in the 3rd-4th stride
 * harmonic (heel strike, toe-off): still the step rate, not 2× or 4/3×. */
static void test_foot_walk_harmonics(void **state)
{
  (void)state;
  const double spm[] = {90, 100, 110, 120};
  for (size_t i = 0; i < 4; i++) {
    run_cfg c = {SIG_FOOT_WALK, spm[i], 100, 20, 0.05, 3, GB_LOC_FOOT, 0};
    run_case(&c, 0.5, "foot-walk");
  }
}

static void test_trunk_walk_run(void **state)
{
  (void)state;
  for (int loc = 0; loc < 2; loc++) {
    gb_location L = loc ? GB_LOC_SACRUM : GB_LOC_UNKNOWN;
    run_cfg w = {SIG_TRUNK_WALK, 100, 100, 20, 0.05, 3, L, 0};
    run_case(&w, 0.5, "trunk-walk");
    w.spm = 120;
    w.rate = 50;
    run_case(&w, 0.5, "trunk-walk");
    run_cfg r = {SIG_TRUNK_RUN, 170, 500, 20, 0.1, 1, L, 0};
    run_case(&r, 0.5, "trunk-run");
    r.spm = 150;
    r.channels = 3;
    r.rate = 100;
    run_case(&r, 0.5, "trunk-run");
  }
}

/* Half/double guards: a strongly asymmetric running trunk (its stride line at
 * 85 spm is as strong as the step line) and shank signals of unknown location
 * (stride line only) must still give the step rate. */
static void test_half_double_guards(void **state)
{
  (void)state;
  run_cfg r = {SIG_TRUNK_RUN_LIMP, 170, 100, 20, 0.1, 1, GB_LOC_UNKNOWN, 0};
  run_case(&r, 0.5, "run-asym");
  r.loc = GB_LOC_TRUNK;
  run_case(&r, 0.5, "run-asym");
  run_cfg s = {SIG_SHANK, 170, 500, 20, 0.2, 1, GB_LOC_UNKNOWN, 0};
  run_case(&s, 0.5, "shank-unk");
  s.spm = 100;
  run_case(&s, 0.5, "shank-unk");
}

/* Lower-back walking whose spectrum misleads the comb (both failed before the
 * trunk-walking rules of cadence.c):
 * - Brisk walking, 120-135 spm, with a strong stride line (SIG_TRUNK_WALK_ASYM,
 *   harmonic ratio 1.5, Menz et al. 2003): the comb picks the stride rate, whose
 *   60-68 spm are in the band too, and nothing reads at half the stride rate:
 *   it was reported as the step rate (halved).
 * - Walking from the step generator of helpers/signals.c with a push-off bump 90 %
 *   of the loading one, 80-110 spm: the step's second harmonic outweighs its
 *   fundamental and the comb picks it (doubled, 160-220 spm without a flight
 *   phase). Every window wholly inside the walk must give the generator's step
 *   rate within ±3 spm (the per-trial cadence criterion of the validation; the
 *   weak fundamental is located less finely than a strong one). */
static void trunk_walk_case(double spm, double side1, double pushoff, double rate, int channels)
{
  gbt_spec sp;
  memset(&sp, 0, sizeof sp);
  sp.fs = rate;
  sp.site = GBT_SITE_TRUNK;
  sp.channels = channels;
  sp.noise_sd = 0.02;
  sp.seed = 4242 + (uint64_t)spm;
  sp.pushoff = pushoff;
  sp.n_seg = 3;
  sp.seg[0] = (gbt_segment){GBT_STILL, 2, 0, 0, 1, 0, 0, 0, 0};
  sp.seg[1] = (gbt_segment){GBT_WALK, 20, spm, spm, 1, 0, 4, side1, 0.05};
  sp.seg[2] = (gbt_segment){GBT_STILL, 2, 0, 0, 1, 0, 0, 0, 0};
  gbt_signal g;
  assert_int_equal(gbt_build(&sp, &g), 0);
  run_cfg c = {SIG_TRUNK_WALK, spm, rate, 24, 0, channels, GB_LOC_SACRUM, 0};
  gb_result *r = analyze(&c, g.frames, g.n);
  size_t n_in = 0;
  double worst = 0;
  for (size_t i = 0; i < r->n_cadence; i++) {
    const gb_cadence_row *w = &r->cadence[i];
    if (w->t_s - 4.0 < 2.0 || w->t_s + 4.0 > 22.0) continue; /* window not wholly in the walk */
    n_in++;
    double e = fabs(w->cadence_spm - spm);
    if (e > worst) worst = e;
    if (e > 3.0)
      fail_msg("walk %.0f spm (odd steps x%.2f, push-off %.2f) at %.0f Hz: window %.1f s reads %.2f spm "
               "(confidence %.2f)",
               spm, side1, pushoff, rate, w->t_s, w->cadence_spm, w->confidence);
  }
  printf("  lowback-walk %5.1f spm @ %4.0f Hz, odd x%.2f, push-off %.2f: %zu windows, worst |error| %.2f\n",
         spm, rate, side1, pushoff, n_in, worst);
  assert_true(n_in >= 10);
  gb_result_free(r);
  gbt_free(&g);
}

static void test_lowback_walk_asym_pushoff(void **state)
{
  (void)state;
  const double brisk[] = {120, 125, 130, 135};
  for (size_t i = 0; i < 4; i++) {
    run_cfg c = {SIG_TRUNK_WALK_ASYM, brisk[i], 100, 20, 0.05, 3, GB_LOC_SACRUM, 0};
    run_case(&c, 0.5, "walk-asym");
    c.loc = GB_LOC_TRUNK;
    c.rate = 500;
    c.channels = 1;
    run_case(&c, 0.5, "walk-asym");
  }
  const double usual[] = {80, 95, 110};
  for (size_t i = 0; i < 3; i++) {
    trunk_walk_case(usual[i], 0.9, 0.9, 100, 3);
    trunk_walk_case(usual[i], 0.9, 0.9, 200, 1);
  }
}

static void test_block_invariance(void **state)
{
  (void)state;
  run_cfg c = {SIG_TRUNK_RUN, 165, 200, 14, 0.1, 3, GB_LOC_SACRUM, 1};
  size_t n;
  float *fr = make_frames(&c, &n);
  gb_result *r1 = analyze(&c, fr, n);
  c.block = 333;
  gb_result *r2 = analyze(&c, fr, n);
  c.block = 100000;
  gb_result *r3 = analyze(&c, fr, n);
  assert_true(r1->n_cadence > 0);
  assert_int_equal(r1->n_cadence, r2->n_cadence);
  assert_int_equal(r1->n_cadence, r3->n_cadence);
  assert_memory_equal(r1->cadence, r2->cadence, r1->n_cadence * sizeof(gb_cadence_row));
  assert_memory_equal(r1->cadence, r3->cadence, r1->n_cadence * sizeof(gb_cadence_row));
  assert_int_equal(r1->n_bouts, r3->n_bouts);
  for (size_t i = 0; i < r1->n_bouts; i++) { /* field by field: gb_bout has padding bytes */
    const gb_bout *a = &r1->bouts[i], *b = &r3->bouts[i];
    assert_memory_equal(&a->t_start_s, &b->t_start_s, sizeof a->t_start_s);
    assert_memory_equal(&a->t_end_s, &b->t_end_s, sizeof a->t_end_s);
    assert_int_equal(a->kind, b->kind);
    assert_int_equal(a->n_steps, b->n_steps);
    assert_memory_equal(&a->cadence_spm, &b->cadence_spm, sizeof a->cadence_spm);
  }
  /* window centres: first at half a window, then one per hop */
  assert_float_equal(r1->cadence[0].t_s, 4.0, 1e-9);
  assert_float_equal(r1->cadence[1].t_s, 5.0, 1e-9);
  gb_result_free(r1);
  gb_result_free(r2);
  gb_result_free(r3);
  free(fr);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sinusoids),      cmocka_unit_test(test_pulse_trains),
      cmocka_unit_test(test_shank_stride),   cmocka_unit_test(test_foot_walk_harmonics),   cmocka_unit_test(test_trunk_walk_run),
      cmocka_unit_test(test_half_double_guards), cmocka_unit_test(test_lowback_walk_asym_pushoff),
      cmocka_unit_test(test_block_invariance),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
