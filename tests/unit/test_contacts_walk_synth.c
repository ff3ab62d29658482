/* Trunk walking rules of the contact detector (src/gait/contacts_walk.c) on
 * synthetic signals (tests/unit/helpers/signals.h, ground truth from the
 * generator):
 *  - gait initiation: a walk from standing whose first step is the smallest
 *    (its peak ~0.11 g above gravity: above the slow-walking floor, under the
 *    0.2 g floor of normal walking), with no cadence yet (a tracker needs a few
 *    steps) and no previous contact: the first step is a contact, its IC within
 *    ±25 ms, and every other step too (F1 1 at ±25 ms), at 100 and 500 Hz;
 *  - the same first step found whatever the block size of the pushes (the
 *    look-ahead it needs is the one every candidate waits for);
 *  - a push-off bump one swing (0.3 s) before the first heel strike of a walk
 *    is not a contact (a step follows it, but sooner than any walking step);
 *  - a small bump while standing with the next step more than two slow steps
 *    later is not a contact;
 *  - walking steps whose loading rise is preceded by a sharper, separate hump
 *    (a dip between them, as some lower-back recordings show before one foot's
 *    heel strike): the IC is the foot of the rise into the loading peak, not the
 *    steepest slope of the earlier hump (every step after the rhythm is known
 *    within ±25 ms, median error ≤ 10 ms), at 100 and 200 Hz. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gaitbatch/config.h"
#include "gait/gait_internal.h"
#include "helpers/signals.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define FIRST_AMP 0.4 /* amplitude scale of the first step: rise 0.4·0.4·(1 − 1/π) ≈ 0.11 g */
#define CAD 100.0     /* steps/min */

static gb_analysis_params params(void)
{
  gb_config cfg;
  gb_config_defaults(&cfg);
  return cfg.analysis;
}

/* A cadence tracker's estimate: 0 until three whole step intervals of the truth
 * lie in the previous 8 s, then their median cadence (it lags the walk start). */
static double tracker_hint(const gbt_signal *s, double t)
{
  double iv[256];
  int n = 0;
  for (size_t k = 1; k < s->n_steps && n < 256; k++) {
    if (s->steps[k].t_s <= t - 8 || s->steps[k].t_s > t) continue;
    iv[n++] = s->steps[k].t_s - s->steps[k - 1].t_s;
  }
  if (n < 3) return 0;
  for (int a = 1; a < n; a++) {
    double y = iv[a];
    int b = a - 1;
    while (b >= 0 && iv[b] > y) { iv[b + 1] = iv[b]; b--; }
    iv[b + 1] = y;
  }
  return 60.0 / iv[n / 2];
}

/* Runs the contact detector over s (sacrum, one channel) in blocks of `block`
 * samples with the tracker's hint; returns the contact times (caller frees). */
static double *detect(const gbt_signal *s, double fs, size_t block, int use_hint, size_t *n_out)
{
  gb_analysis_params p = params();
  gb_analyzer_input in = {fs, 1, GB_LOC_SACRUM, 0};
  gb_contacts *c = gb_contacts_create(&p, &in);
  assert_non_null(c);
  for (size_t i = 0; i < s->n; i += block) {
    size_t m = i + block < s->n ? block : s->n - i;
    double t = (double)i / fs;
    assert_int_equal(gb_contacts_push(c, s->vert + i, s->vert + i, s->frames + i, m, t, use_hint ? tracker_hint(s, t) : 0), 0);
  }
  gb_step *st = NULL;
  size_t n = 0;
  assert_int_equal(gb_contacts_finish(c, &st, &n), 0);
  gb_contacts_free(c);
  double *t = malloc((n + 1) * sizeof(double));
  assert_non_null(t);
  for (size_t i = 0; i < n; i++) t[i] = st[i].t_s;
  free(st);
  *n_out = n;
  return t;
}

/* still 3 s, one small first step, walk 20 s at CAD, still 3 s */
static void initiation_spec(gbt_spec *sp, double fs)
{
  memset(sp, 0, sizeof *sp);
  sp->fs = fs;
  sp->site = GBT_SITE_TRUNK;
  sp->channels = 1;
  sp->noise_sd = 0.01;
  sp->seed = 99;
  sp->n_seg = 4;
  sp->seg[0] = (gbt_segment){GBT_STILL, 3, 0, 0, 1, 0.5, 0, 0, 0};
  sp->seg[1] = (gbt_segment){GBT_WALK, 60.0 / CAD, CAD, CAD, FIRST_AMP, 0.5, 0, 0, 0};
  sp->seg[2] = (gbt_segment){GBT_WALK, 20, CAD, CAD, 1, 0.5, 0, 0, 0};
  sp->seg[3] = (gbt_segment){GBT_STILL, 3, 0, 0, 1, 0.5, 0, 0, 0};
}

/* Signed error of the contact nearest to t, s. */
static double nearest(const double *d, size_t n, double t)
{
  double best = 1e9;
  for (size_t i = 0; i < n; i++)
    if (fabs(d[i] - t) < fabs(best)) best = d[i] - t;
  return best;
}

static void test_small_first_step_of_a_walk(void **state)
{
  (void)state;
  const double rates[] = {100, 500};
  for (int ri = 0; ri < 2; ri++) {
    double fs = rates[ri];
    gbt_spec sp;
    initiation_spec(&sp, fs);
    gbt_signal s;
    assert_int_equal(gbt_build(&sp, &s), 0);
    double rise0 = s.steps[0].peak_g - 1.0, rise1 = s.steps[1].peak_g - 1.0;
    assert_true(rise0 > 0.08 && rise0 < 0.15); /* between the two floors */
    assert_true(rise1 > 0.2);
    assert_true(tracker_hint(&s, s.steps[1].t_s + 0.5) == 0); /* no cadence yet at the first step */
    size_t n = 0;
    double *d = detect(&s, fs, (size_t)fs, 1, &n);
    double *t = malloc(s.n_steps * sizeof(double));
    assert_non_null(t);
    for (size_t i = 0; i < s.n_steps; i++) t[i] = s.steps[i].t_s;
    double r, p, f1 = gbt_f1(d, n, t, s.n_steps, 0.025, &r, &p);
    double e0 = nearest(d, n, s.steps[0].t_s);
    printf("  walk from standing, first step %.3f g above 1 g, %4.0f Hz: truth %zu detected %zu, "
           "first IC error %+.1f ms, F1 %.3f (R %.3f P %.3f)\n",
           rise0, fs, s.n_steps, n, e0 * 1000, f1, r, p);
    assert_true(fabs(e0) <= 0.025);
    assert_true(f1 >= 0.999);
    free(t);
    free(d);
    gbt_free(&s);
  }
}

static void test_first_step_block_size_invariance(void **state)
{
  (void)state;
  double fs = 200;
  gbt_spec sp;
  initiation_spec(&sp, fs);
  gbt_signal s;
  assert_int_equal(gbt_build(&sp, &s), 0);
  const size_t blocks[] = {1, 7, 200, 4096};
  size_t n0 = 0;
  double *d0 = detect(&s, fs, blocks[0], 0, &n0);
  assert_true(fabs(nearest(d0, n0, s.steps[0].t_s)) <= 0.025);
  for (int b = 1; b < 4; b++) {
    size_t n = 0;
    double *d = detect(&s, fs, blocks[b], 0, &n);
    printf("  block %4zu samples: %zu contacts (block 1: %zu)\n", blocks[b], n, n0);
    assert_int_equal(n, n0);
    for (size_t i = 0; i < n; i++)
      if (d[i] != d0[i]) printf("    contact %zu: %.6f s vs %.6f s\n", i, d[i], d0[i]);
    for (size_t i = 0; i < n; i++) assert_true(d[i] == d0[i]);
    free(d);
  }
  free(d0);
  gbt_free(&s);
}

/* Adds a half-sine bump of amplitude a (g) and width w (s) starting at t0. */
static void add_bump(gbt_signal *s, double fs, double t0, double w, double a)
{
  for (size_t i = (size_t)ceil(t0 * fs); i < s->n && (double)i / fs < t0 + w; i++) {
    s->vert[i] += (float)(a * sin(M_PI * ((double)i / fs - t0) / w));
    s->frames[i] = s->vert[i];
  }
}

static void test_push_off_before_the_first_step(void **state)
{
  (void)state;
  const double rates[] = {100, 500};
  for (int ri = 0; ri < 2; ri++) {
    double fs = rates[ri];
    gbt_spec sp;
    initiation_spec(&sp, fs);
    sp.seg[1].amp_scale = 1; /* a full first step */
    gbt_signal s;
    assert_int_equal(gbt_build(&sp, &s), 0);
    /* the push-off: a 0.12 g, 0.15 s bump whose peak lies 0.3 s before the
       first step's loading peak (one swing, no double support) */
    double t_pk1 = s.steps[0].t_s + 0.25 * 60.0 / CAD; /* loading half sine peaks mid-way */
    double t_b = t_pk1 - 0.3 - 0.075;
    add_bump(&s, fs, t_b, 0.15, 0.12);
    size_t n = 0;
    double *d = detect(&s, fs, (size_t)fs, 1, &n);
    double *t = malloc(s.n_steps * sizeof(double));
    assert_non_null(t);
    for (size_t i = 0; i < s.n_steps; i++) t[i] = s.steps[i].t_s;
    /* ±50 ms: the generator starts a walk with a step down of the step's offset
       at the first IC, which delays the kink of the first rise by ~25 ms */
    double r, p, f1 = gbt_f1(d, n, t, s.n_steps, 0.05, &r, &p);
    size_t early = 0;
    for (size_t i = 0; i < n; i++)
      if (d[i] < s.steps[0].t_s - 0.05) early++;
    double e0 = nearest(d, n, s.steps[0].t_s);
    printf("  push-off bump 0.3 s before the first step, %4.0f Hz: %zu contacts before the walk, "
           "first IC error %+.1f ms, F1 at ±50 ms %.3f\n", fs, early, e0 * 1000, f1);
    assert_int_equal(early, 0);
    assert_true(f1 >= 0.999);
    free(t);
    free(d);
    gbt_free(&s);
  }
}

static void test_bump_long_before_a_walk(void **state)
{
  (void)state;
  double fs = 100;
  gbt_spec sp;
  initiation_spec(&sp, fs);
  sp.seg[1].amp_scale = 1;
  gbt_signal s;
  assert_int_equal(gbt_build(&sp, &s), 0);
  /* a small shift of weight 2.5 s before the walk: more than two slow steps
     (walk_gap_s: 2 s at the 60 spm cadence floor) */
  add_bump(&s, fs, s.steps[0].t_s - 2.5, 0.25, 0.12);
  size_t n = 0;
  double *d = detect(&s, fs, 1000, 1, &n);
  size_t early = 0;
  for (size_t i = 0; i < n; i++)
    if (d[i] < s.steps[0].t_s - 0.05) early++;
  printf("  small bump 2.5 s before a walk: %zu contacts before the walk\n", early);
  assert_int_equal(early, 0);
  free(d);
  gbt_free(&s);
}

/* Walking steps of period T whose loading half sine (IC at t, 0.25 s wide,
 * 0.5 g) is preceded by a sharper hump (0.05 s, 0.35 g) that ends 0.03 s before
 * the IC, the single support between dipping below 1 g. Built here: truth = the
 * start of each loading rise. */
static void test_hump_before_the_loading_rise(void **state)
{
  (void)state;
  const double rates[] = {100, 200};
  for (int ri = 0; ri < 2; ri++) {
    double fs = rates[ri], T = 0.55, t_walk0 = 3, t_walk1 = 33;
    gbt_signal s;
    memset(&s, 0, sizeof s);
    s.n = (size_t)(36 * fs);
    s.channels = 1;
    s.vert = calloc(s.n, sizeof(float));
    s.steps = calloc(128, sizeof(gbt_truth_step));
    assert_non_null(s.vert);
    assert_non_null(s.steps);
    for (double t = t_walk0; t + T <= t_walk1 + 1e-9; t += T) {
      for (size_t i = (size_t)ceil((t - 0.08) * fs); i < s.n && (double)i / fs < t + T - 0.08; i++) {
        double x = (double)i / fs - t, y;
        if (x < -0.03) y = 0.35 * sin(M_PI * (x + 0.08) / 0.05);          /* the earlier hump */
        else if (x < 0) y = 0;
        else if (x < 0.25) y = 0.5 * sin(M_PI * x / 0.25);                /* loading */
        else y = -0.3 * sin(M_PI * (x - 0.25) / (T - 0.33));              /* single support */
        s.vert[i] += (float)y;
      }
      s.steps[s.n_steps++] = (gbt_truth_step){t, 0, 0, 0, GBT_WALK, (int)(s.n_steps % 2), 0};
    }
    uint64_t nz = 11;
    for (size_t i = 0; i < s.n; i++) s.vert[i] += 1.0f + (float)(0.01 * gbt_randn(&nz));
    s.frames = s.vert;
    gb_analysis_params p = params();
    gb_analyzer_input in = {fs, 1, GB_LOC_SACRUM, 0};
    gb_contacts *c = gb_contacts_create(&p, &in);
    assert_non_null(c);
    size_t blk = (size_t)(fs / 4);
    for (size_t i = 0; i < s.n; i += blk) {
      size_t m = i + blk < s.n ? blk : s.n - i;
      double ti = (double)i / fs;
      double hint = ti > t_walk0 + 4 ? 60.0 / T : 0; /* a tracker's first estimate */
      assert_int_equal(gb_contacts_push(c, s.vert + i, s.vert + i, s.vert + i, m, ti, hint), 0);
    }
    gb_step *st = NULL;
    size_t n = 0;
    assert_int_equal(gb_contacts_finish(c, &st, &n), 0);
    gb_contacts_free(c);
    double *d = malloc((n + 1) * sizeof(double)), err[128];
    assert_non_null(d);
    for (size_t i = 0; i < n; i++) d[i] = st[i].t_s;
    size_t ne = 0, beyond = 0;
    for (size_t i = 0; i < s.n_steps && ne < 128; i++) {
      if (s.steps[i].t_s < t_walk0 + 5.3) continue; /* once the rhythm is known */
      double e = nearest(d, n, s.steps[i].t_s);
      err[ne++] = fabs(e);
      if (fabs(e) > 0.025) beyond++;
    }
    for (size_t a = 1; a < ne; a++) { /* insertion sort of |error| */
      double y = err[a];
      size_t b = a;
      while (b > 0 && err[b - 1] > y) { err[b] = err[b - 1]; b--; }
      err[b] = y;
    }
    printf("  hump 30 ms before each loading rise, %3.0f Hz: %zu steps scored, %zu beyond ±25 ms, "
           "median |error| %.1f ms, %zu contacts for %zu steps\n", fs, ne, beyond, err[ne / 2] * 1000, n, s.n_steps);
    assert_true(ne > 40);
    assert_int_equal(beyond, 0);
    assert_true(err[ne / 2] <= 0.010);
    assert_int_equal(n, s.n_steps);
    free(d);
    free(st);
    s.frames = NULL;
    gbt_free(&s);
  }
}

/* contacts.c examine(): the "largest within ±D" window starts no earlier than D
 * after the previous contact. Walking with alternating strong /
 * weak steps (an asymmetric gait) whose strong steps have a broad second hump: the
 * descending flank of that hump lies within D before the next (weak) step's peak
 * and is taller than it. The hump belongs to the previous contact's step (the
 * detector already ignores peaks within D after a contact); it must not suppress
 * the next step. Truth: every IC (start of each loading half sine). */
static void test_hump_of_previous_step_does_not_hide_the_next(void **state)
{
  (void)state;
  const double rates[] = {100, 200};
  for (int ri = 0; ri < 2; ri++) {
    double fs = rates[ri], T = 0.55, t0 = 3, t1 = 33;
    gbt_signal s;
    memset(&s, 0, sizeof s);
    s.n = (size_t)(36 * fs);
    s.channels = 1;
    s.vert = calloc(s.n, sizeof(float));
    s.steps = calloc(128, sizeof(gbt_truth_step));
    assert_non_null(s.vert);
    assert_non_null(s.steps);
    int k = 0;
    for (double t = t0; t + T <= t1 + 1e-9; t += T, k++) {
      int strong = k % 2 == 0;
      double a = strong ? 0.4 : 0.2;
      for (size_t i = (size_t)ceil(t * fs); i < s.n && (double)i / fs < t + T; i++) {
        double x = (double)i / fs - t, y = 0;
        if (x < 0.14) y = a * sin(M_PI * x / 0.14);                           /* loading */
        else if (strong && x < 0.36) y = 0.3 * sin(M_PI * (x - 0.14) / 0.22); /* second hump */
        else y = -0.15;                                                        /* single support */
        if (!strong && x >= 0.14) y = -0.15;
        s.vert[i] += (float)y;
      }
      s.steps[s.n_steps++] = (gbt_truth_step){t, 0, 0, 0, GBT_WALK, k % 2, 0};
    }
    uint64_t nz = 3;
    for (size_t i = 0; i < s.n; i++) s.vert[i] += 1.0f + (float)(0.01 * gbt_randn(&nz));
    gb_config cfg;
    gb_config_defaults(&cfg);
    gb_analyzer_input in = {fs, 1, GB_LOC_SACRUM, 0};
    gb_contacts *c = gb_contacts_create(&cfg.analysis, &in);
    assert_non_null(c);
    size_t blk = (size_t)(fs / 4);
    for (size_t i = 0; i < s.n; i += blk) {
      size_t m = i + blk < s.n ? blk : s.n - i;
      double ti = (double)i / fs;
      assert_int_equal(gb_contacts_push(c, s.vert + i, s.vert + i, s.vert + i, m, ti, ti > t0 + 4 ? 60.0 / T : 0), 0);
    }
    gb_step *st = NULL;
    size_t n = 0;
    assert_int_equal(gb_contacts_finish(c, &st, &n), 0);
    gb_contacts_free(c);
    double *d = malloc((n + 1) * sizeof(double)), *tt = malloc(s.n_steps * sizeof(double));
    /* scored once the rhythm is known (the hint, 4 s into the walk; 8.3 s lies
       between two steps): before it the expected interval is the detector's
       shortest and the second humps are steps of their own */
    size_t nd = 0, nt = 0;
    for (size_t i = 0; i < n; i++)
      if (st[i].t_s >= t0 + 5.3 - 0.025) d[nd++] = st[i].t_s;
    for (size_t i = 0; i < s.n_steps; i++)
      if (s.steps[i].t_s >= t0 + 5.3) tt[nt++] = s.steps[i].t_s;
    double r, p, f1 = gbt_f1(d, nd, tt, nt, 0.025, &r, &p);
    printf("  strong/weak steps, second hump over the next step's window, %3.0f Hz: truth %zu detected %zu "
           "F1 %.3f (R %.3f P %.3f)\n", fs, nt, nd, f1, r, p);
    assert_true(f1 >= 0.98);
    free(d);
    free(tt);
    free(st);
    gbt_free(&s);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_small_first_step_of_a_walk),
      cmocka_unit_test(test_first_step_block_size_invariance),
      cmocka_unit_test(test_push_off_before_the_first_step),
      cmocka_unit_test(test_bump_long_before_a_walk),
      cmocka_unit_test(test_hump_before_the_loading_rise),
      cmocka_unit_test(test_hump_of_previous_step_does_not_hide_the_next),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
