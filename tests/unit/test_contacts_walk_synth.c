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
 *    within ±25 ms, median error ≤ 10 ms), at 100 and 200 Hz;
 *  - a walk with a U-turn (a few slower, weaker, irregular steps, the cadence
 *    tracker silent during the turn, then straight walking again) gives every
 *    contact (F1 ≥ 0.95 at ±100 ms) and the same contacts (same count, each
 *    within 1 ms) when every input sample is moved by one float ulp, at 100 and
 *    200 Hz: the walking rules have no knife edge at the turn;
 *  - a faint step of a slow walk whose oscillation sits 0.03 g low on the
 *    sensor's vertical (a trunk pitched 14° from the upright reference reads
 *    cos 14° = 0.97 g at rest): its peak 0.04 g above 1 g is under the 0.05 g
 *    walking floor, its swing up from the single-support valley is 0.15 g; it is
 *    a contact one step interval after the previous one (every step found once
 *    the rhythm is known, F1 1 at ±100 ms, at 100 and 200 Hz), while the same bumps while standing, the
 *    first two step intervals after the walk's last step, are not;
 *  - two-humped steps (a loading hump at the heel strike, then a taller second
 *    hump) through an abrupt slow-down from 120 to 86 steps/min while the
 *    cadence hint lags 5 s behind: the IC stays on the first hump (every step of
 *    the slow part within ±50 ms, the humps being 120 ms apart), the step
 *    interval expected from the latest detected one while the hint lags;
 *  - a walk whose every step has two humps from its first step (the heel
 *    strike's transient, its rebound under gravity, then the taller loading
 *    hump): no single-humped step anchors the rhythm, and before the shape rule
 *    every IC lay on the second hump (+105 ms); now every step within ±50 ms, at
 *    100 and 200 Hz, 86 and 100 steps/min;
 *  - its counterpart: a slow push-off wave in late single support falling under
 *    gravity just before every heel strike is not taken for the step's first
 *    hump (it rises for longer than the loading response; without that test every
 *    IC lay on the push-off, up to -400 ms): every step within ±25 ms. */
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

/* The cadence hint a test gives the detector at time t s (ctx: the test's own
 * parameters); 0 = none. */
typedef double (*hint_fn)(const gbt_signal *s, double t, const void *ctx);

/* Runs the contact detector over x (sacrum, one channel; raw samples r) of s in
 * blocks of `block` samples with hint(s, t, ctx) (hint NULL: none); returns the
 * contact times (caller frees). */
static double *run_detector(const gbt_signal *s, const float *x, const float *r, double fs, size_t block,
                            hint_fn hint, const void *ctx, size_t *n_out)
{
  gb_analysis_params p = params();
  gb_analyzer_input in = {fs, 1, GB_LOC_SACRUM, 0};
  gb_contacts *c = gb_contacts_create(&p, &in);
  assert_non_null(c);
  for (size_t i = 0; i < s->n; i += block) {
    size_t m = i + block < s->n ? block : s->n - i;
    double t = (double)i / fs;
    assert_int_equal(gb_contacts_push(c, x + i, x + i, r + i, m, t, hint ? hint(s, t, ctx) : 0), 0);
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

static double tracker_hint_fn(const gbt_signal *s, double t, const void *ctx)
{
  (void)ctx;
  return tracker_hint(s, t);
}

/* A hint of 60/T steps/min while t lies in [from, to), 0 elsewhere: a tracker's
 * estimate of a steady walk, from its first confident window on. */
typedef struct steady_hint {
  double spm, from, to;
} steady_hint;

static double steady_hint_fn(const gbt_signal *s, double t, const void *ctx)
{
  (void)s;
  const steady_hint *h = ctx;
  return t >= h->from && t < h->to ? h->spm : 0;
}

/* The detector over s with the tracker's hint (or none), in blocks of `block`. */
static double *detect(const gbt_signal *s, double fs, size_t block, int use_hint, size_t *n_out)
{
  return run_detector(s, s->vert, s->frames, fs, block, use_hint ? tracker_hint_fn : NULL, NULL, n_out);
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
    assert_int_equal(gbt_blank(&s, (size_t)(36 * fs), 128), 0);
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
    gbt_add_gravity_noise(&s, 0.01, 11);
    s.frames = s.vert;
    /* a tracker's first estimate, 4 s into the walk (the hint starts just after
       t_walk0 + 4: the first block past it) */
    const steady_hint h = {60.0 / T, nextafter(t_walk0 + 4, INFINITY), INFINITY};
    size_t n = 0;
    double *d = run_detector(&s, s.vert, s.vert, fs, (size_t)(fs / 4), steady_hint_fn, &h, &n), err[128];
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
    assert_int_equal(gbt_blank(&s, (size_t)(36 * fs), 128), 0);
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
    gbt_add_gravity_noise(&s, 0.01, 3);
    const steady_hint h = {60.0 / T, nextafter(t0 + 4, INFINITY), INFINITY};
    size_t n = 0;
    double *all = run_detector(&s, s.vert, s.vert, fs, (size_t)(fs / 4), steady_hint_fn, &h, &n);
    double *d = malloc((n + 1) * sizeof(double)), *tt = malloc(s.n_steps * sizeof(double));
    /* scored once the rhythm is known (the hint, 4 s into the walk; 8.3 s lies
       between two steps): before it the expected interval is the detector's
       shortest and the second humps are steps of their own */
    size_t nd = 0, nt = 0;
    for (size_t i = 0; i < n; i++)
      if (all[i] >= t0 + 5.3 - 0.025) d[nd++] = all[i];
    for (size_t i = 0; i < s.n_steps; i++)
      if (s.steps[i].t_s >= t0 + 5.3) tt[nt++] = s.steps[i].t_s;
    double r, p, f1 = gbt_f1(d, nd, tt, nt, 0.025, &r, &p);
    printf("  strong/weak steps, second hump over the next step's window, %3.0f Hz: truth %zu detected %zu "
           "F1 %.3f (R %.3f P %.3f)\n", fs, nt, nd, f1, r, p);
    assert_true(f1 >= 0.98);
    free(d);
    free(tt);
    free(all);
    gbt_free(&s);
  }
}

/* Walking steps built here (the segment builder of signals.h leaves the end of a
 * walking segment after its last whole step at 0 g, a false flight phase, which
 * a turn of a few steps of changing length would be full of): step k starts at
 * its IC t_k and lasts T_k; a loading half sine of amplitude A_k over the first
 * 40 % of the step (the slope steps up at the IC: the heel-strike kink), then a
 * negative half sine over the rest with the same area (the step averages 1 g).
 * Still 3 s, 18 steps at 105 spm (A 0.25 g, 5 % jitter), a U-turn of 6 steps
 * whose length grows to 0.75 s (80 spm) and back (A 0.15 g, 30 % jitter), 18
 * steps at 105 spm, still 3 s; white noise 0.01 g. Truth: each t_k. */
static void uturn_signal(double fs, gbt_signal *s, double *t_u0, double *t_u1)
{
  static const double turn_T[6] = {0.62, 0.68, 0.75, 0.72, 0.66, 0.60};
  double t = 3;
  uint64_t rs = 23;
  double T[64], A[64], t0[64];
  int n = 0;
  for (int k = 0; k < 42; k++, n++) {
    int turn = k >= 18 && k < 24;
    T[n] = turn ? turn_T[k - 18] : 60.0 / 105;
    A[n] = (turn ? 0.15 : 0.25) * (1 + (turn ? 0.3 : 0.05) * (2 * gbt_rand01(&rs) - 1));
    t0[n] = t;
    if (k == 18) *t_u0 = t;
    if (k == 24) *t_u1 = t;
    t += T[n];
  }
  assert_int_equal(gbt_blank(s, (size_t)ceil((t + 3) * fs), 64), 0);
  for (int k = 0; k < n; k++) {
    double tl = 0.4 * T[k], B = A[k] * 0.4 / 0.6;
    for (size_t i = (size_t)ceil(t0[k] * fs); i < s->n && (double)i / fs < t0[k] + T[k]; i++) {
      double x = (double)i / fs - t0[k];
      s->vert[i] += (float)(x < tl ? A[k] * sin(M_PI * x / tl) : -B * sin(M_PI * (x - tl) / (T[k] - tl)));
    }
    s->steps[s->n_steps++] = (gbt_truth_step){t0[k], 0, 1 + A[k], 0, GBT_WALK, k % 2, 0};
  }
  gbt_add_gravity_noise(s, 0.01, 41);
}

/* Contacts of a one-channel sacrum signal x (n samples), pushed in quarter-second
 * blocks with the tracker's hint, silent (0) from the start of the turn t_u0 until
 * 3 s after its end t_u1 (a tracker loses its confidence on irregular steps and
 * needs a few regular ones back). */
static double uturn_hint(const gbt_signal *s, double t, const void *ctx)
{
  const double *u = ctx; /* t_u0, t_u1 */
  return t >= u[0] && t < u[1] + 3 ? 0 : tracker_hint(s, t);
}

static double *detect_x(const gbt_signal *s, const float *x, double fs, double t_u0, double t_u1, size_t *n_out)
{
  const double u[2] = {t_u0, t_u1};
  return run_detector(s, x, x, fs, (size_t)(fs / 4), uturn_hint, u, n_out);
}

static void test_uturn_last_bits(void **state)
{
  (void)state;
  const double rates[] = {100, 200};
  for (int ri = 0; ri < 2; ri++) {
    double fs = rates[ri];
    gbt_signal s;
    double t_u0 = 0, t_u1 = 0;
    uturn_signal(fs, &s, &t_u0, &t_u1);
    float *y = malloc(s.n * sizeof(float));
    assert_non_null(y);
    uint64_t rs = 5;
    size_t moved = 0;
    for (size_t i = 0; i < s.n; i++) { /* each sample one ulp up or down, or kept */
      double u = gbt_rand01(&rs);
      y[i] = u < 1.0 / 3 ? nextafterf(s.vert[i], INFINITY) : u < 2.0 / 3 ? nextafterf(s.vert[i], -INFINITY) : s.vert[i];
      moved += y[i] != s.vert[i];
    }
    assert_true(moved > s.n / 2);
    double *t = malloc(s.n_steps * sizeof(double));
    assert_non_null(t);
    for (size_t i = 0; i < s.n_steps; i++) t[i] = s.steps[i].t_s;
    size_t na = 0, nb = 0;
    double *a = detect_x(&s, s.vert, fs, t_u0, t_u1, &na), *b = detect_x(&s, y, fs, t_u0, t_u1, &nb);
    /* scored at ±100 ms, the real-walking tolerance of issue 4: in the turn a weak
       step follows a strong one's single-support rise, and its heel-strike kink
       (the slope stepping up) can be faint */
    double r, p, fa = gbt_f1(a, na, t, s.n_steps, 0.100, &r, &p), fb = gbt_f1(b, nb, t, s.n_steps, 0.100, &r, &p);
    double f25 = gbt_f1(a, na, t, s.n_steps, 0.025, &r, &p);
    double dmax = 0;
    for (size_t i = 0; i < na && i < nb; i++) dmax = fmax(dmax, fabs(a[i] - b[i]));
    printf("  U-turn walk, %3.0f Hz: truth %zu, detected %zu / %zu (input moved by one ulp), F1 ±100 ms %.3f / %.3f "
           "(±25 ms %.3f), largest IC change %.2f ms\n", fs, s.n_steps, na, nb, fa, fb, f25, dmax * 1000);
    assert_true(fa >= 0.95);
    assert_true(fb >= 0.95);
    assert_int_equal(na, nb);
    assert_true(dmax <= 0.001);
    free(a);
    free(b);
    free(t);
    free(y);
    gbt_free(&s);
  }
}

/* One slow walk (steps of period T, loading half sine of amplitude A[k] over the
 * first 40 % of the step, then a negative half sine of the same area), every
 * step of it offset by `low` g, from t_w0; then standing at 1 g − low with n_b
 * bumps of the faint step's shape, one period apart, the first `gap` periods
 * after the walk's last step. Truth: the walk's ICs only. */
static void faint_signal(double fs, double T, const double *A, int n_st, double low, int n_b, double A_b, double gap,
                         gbt_signal *s, double *t_end)
{
  double t_w0 = 3, tb0 = t_w0 + (n_st - 1 + gap) * T;
  *t_end = t_w0 + n_st * T;
  assert_int_equal(gbt_blank(s, (size_t)ceil((tb0 + (n_b + 3) * T) * fs), (size_t)n_st), 0);
  for (int k = 0; k < n_st + n_b; k++) {
    int bump = k >= n_st;
    double t0 = bump ? tb0 + (k - n_st) * T : t_w0 + k * T, a = bump ? A_b : A[k], tl = 0.4 * T, B = a * 0.4 / 0.6;
    for (size_t i = (size_t)ceil(t0 * fs); i < s->n && (double)i / fs < t0 + T; i++) {
      double x = (double)i / fs - t0;
      s->vert[i] += (float)(x < tl ? a * sin(M_PI * x / tl) : -B * sin(M_PI * (x - tl) / (T - tl)));
    }
    if (!bump) s->steps[s->n_steps++] = (gbt_truth_step){t0, 0, 1 - low + a, 0, GBT_WALK, k % 2, 0};
  }
  uint64_t nz = 77;
  for (size_t i = 0; i < s->n; i++)
    s->vert[i] += (float)(1.0 - ((double)i / fs >= t_w0 ? low : 0) + 0.01 * gbt_randn(&nz));
  s->frames = NULL;
}

static double tracker_until(const gbt_signal *s, double t, const void *ctx)
{
  return t < *(const double *)ctx ? tracker_hint(s, t) : 0;
}

static void test_faint_step_in_a_slow_walk(void **state)
{
  (void)state;
  const double rates[] = {100, 200}, T = 0.75, low = 0.03, A_n = 0.12, A_f = 0.07;
  double A[24];
  for (int k = 0; k < 24; k++) A[k] = k % 6 == 4 ? A_f : A_n; /* steps 4, 10, 16, 22 are faint */
  for (int ri = 0; ri < 2; ri++) {
    double fs = rates[ri], t_end = 0;
    gbt_signal s;
    faint_signal(fs, T, A, 24, low, 8, A_f, 2.0, &s, &t_end);
    assert_true(1 - low + A_f < 1.05 && 1 - low + A_f > 1.0); /* under the walking floor, above 1 g */
    const double until = t_end + 1; /* the tracker falls silent once standing */
    size_t n = 0;
    double *all = run_detector(&s, s.vert, s.vert, fs, (size_t)(fs / 4), tracker_until, &until, &n);
    double *d = malloc((n + 1) * sizeof(double)), *tt = malloc(s.n_steps * sizeof(double));
    assert_non_null(d);
    assert_non_null(tt);
    /* scored once the rhythm is known (2 s into the walk: every step of this
       walk is under the 0.2 g floor, so its first steps wait for the cadence) */
    size_t after = 0, faint_found = 0, nd = 0, nt = 0;
    for (size_t i = 0; i < n; i++) {
      after += all[i] > t_end;
      if (all[i] >= 5.0 - 0.1) d[nd++] = all[i];
    }
    for (size_t i = 0; i < s.n_steps; i++) {
      if (s.steps[i].t_s < 5.0) continue;
      tt[nt++] = s.steps[i].t_s;
      faint_found += i % 6 == 4 && fabs(nearest(d, nd, s.steps[i].t_s)) <= 0.1;
    }
    double r, pr, f1 = gbt_f1(d, nd, tt, nt, 0.100, &r, &pr);
    printf("  slow walk 0.03 g low, faint steps %.2f g above 1 g, %3.0f Hz: truth %zu detected %zu (faint %zu of 4), "
           "F1 %.3f at ±100 ms; contacts among the 8 standing bumps after the walk: %zu\n",
           A_f - low, fs, nt, nd - after, faint_found, f1, after);
    assert_int_equal(faint_found, 4);
    assert_true(f1 >= 0.99);
    assert_true(nt >= 19);
    assert_int_equal(after, 0);
    free(d);
    free(tt);
    free(all);
    gbt_free(&s);
  }
}

/* Walking steps built here: 10 s at 120 steps/min of one loading hump (half sine,
 * 0.24 s, 0.25 g), then 12 s at 86 (step 0.70 s) of two-humped steps (a slowing,
 * cautious gait, e.g. into a turn): from the IC a loading hump (half sine, 0.10 s,
 * 0.15 g), a dip, a taller second hump (half sine from 0.12 s to 0.24 s, 0.25 g);
 * every step then single support (a negative half sine of the same area to the
 * end of the step, so the step averages 1 g); still 3 s before and after; noise
 * 0.01 g. */
/* A tracker's hint: from 4 s into the walk, 5 s late after the slow-down at *ctx s. */
static double slow_down_hint(const gbt_signal *s, double t, const void *ctx)
{
  (void)s;
  double t_slow = *(const double *)ctx;
  return t < 7 ? 0 : t < t_slow + 5 ? 120 : 60 / 0.7;
}

static void test_two_humps_through_a_slow_down(void **state)
{
  (void)state;
  const double rates[] = {100, 200};
  for (int ri = 0; ri < 2; ri++) {
    double fs = rates[ri], t_slow = 13;
    gbt_signal s;
    assert_int_equal(gbt_blank(&s, (size_t)(38 * fs), 64), 0);
    double t = 3;
    for (int k = 0; t < 35 - 0.7; k++) {
      int slow = t >= t_slow - 1e-9;
      double T = slow ? 0.7 : 0.5;
      double area = 0.15 * 0.10 * 2 / M_PI + 0.25 * 0.12 * 2 / M_PI, B = area * M_PI / 2 / (T - 0.24);
      for (size_t i = (size_t)ceil(t * fs); i < s.n && (double)i / fs < t + T; i++) {
        double x = (double)i / fs - t, y = 0;
        if (!slow) y = x < 0.24 ? 0.25 * sin(M_PI * x / 0.24) : -B * sin(M_PI * (x - 0.24) / (T - 0.24));
        else if (x < 0.10) y = 0.15 * sin(M_PI * x / 0.10);
        else if (x >= 0.12 && x < 0.24) y = 0.25 * sin(M_PI * (x - 0.12) / 0.12);
        else if (x >= 0.24) y = -B * sin(M_PI * (x - 0.24) / (T - 0.24));
        s.vert[i] += (float)y;
      }
      s.steps[s.n_steps++] = (gbt_truth_step){t, 0, 1.25, 0, GBT_WALK, k % 2, 0};
      t += T;
    }
    gbt_add_gravity_noise(&s, 0.01, 5);
    size_t n = 0;
    double *d = run_detector(&s, s.vert, s.vert, fs, (size_t)(fs / 4), slow_down_hint, &t_slow, &n);
    size_t scored = 0, beyond = 0;
    double worst = 0;
    for (size_t i = 0; i < s.n_steps; i++) {
      if (s.steps[i].t_s < t_slow) continue;
      double e = nearest(d, n, s.steps[i].t_s);
      scored++;
      beyond += fabs(e) > 0.05;
      if (fabs(e) > fabs(worst)) worst = e;
    }
    printf("  two-humped steps, 120 -> 86 steps/min with the hint 5 s late, %3.0f Hz: %zu slow steps, %zu beyond "
           "±50 ms (worst %+.0f ms), %zu contacts for %zu steps\n", fs, scored, beyond, worst * 1000, n, s.n_steps);
    assert_true(scored >= 15);
    assert_int_equal(beyond, 0);
    assert_int_equal(n, s.n_steps);
    free(d);
    gbt_free(&s);
  }
}

/* One two-humped walking step of period T at x s after its IC (g above 1 g):
 * the heel strike's transient (half sine, 0.06 s, 0.2 g) and its rebound below
 * gravity (half sine, 0.05 s, -0.25 g: a damped impact response swings under its
 * baseline), then the taller loading hump (half sine from 0.11 s to 0.27 s,
 * 0.3 g), then single support (a negative half sine of the same net area to the
 * end of the step: the step averages 1 g). Smoothed by the detector's 60 ms
 * triangle: humps ~0.17 g and ~0.29 g above 1 g, ~120 ms apart, the dip between
 * them ~0.18 g under it. */
static double two_hump_step(double x, double T)
{
  double area = (0.2 * 0.06 - 0.25 * 0.05 + 0.3 * 0.16) * 2 / M_PI, B = area * M_PI / 2 / (T - 0.27);
  if (x < 0.06) return 0.2 * sin(M_PI * x / 0.06);
  if (x < 0.11) return -0.25 * sin(M_PI * (x - 0.06) / 0.05);
  if (x < 0.27) return 0.3 * sin(M_PI * (x - 0.11) / 0.16);
  return -B * sin(M_PI * (x - 0.27) / (T - 0.27));
}

/* A steady walk of one-channel sacrum steps: still until t_w0, steps of period T
 * drawn by shape(x, T) (g above 1 g at x s after the IC) while a whole step fits
 * before t_w1 (at most 64), still 3 s; 1 g plus 0.01 g of white noise (seed).
 * Truth: each step's IC, with peak_g. */
static void steady_walk(gbt_signal *s, double fs, double T, double t_w0, double t_w1,
                        double (*shape)(double x, double T), double peak_g, uint64_t seed)
{
  assert_int_equal(gbt_blank(s, (size_t)((t_w1 + 3) * fs), 64), 0);
  int k = 0;
  for (double t = t_w0; t + T <= t_w1 + 1e-9 && k < 64; t += T, k++) {
    for (size_t i = (size_t)ceil(t * fs); i < s->n && (double)i / fs < t + T; i++)
      s->vert[i] += (float)shape((double)i / fs - t, T);
    s->steps[s->n_steps++] = (gbt_truth_step){t, 0, peak_g, 0, GBT_WALK, k % 2, 0};
  }
  gbt_add_gravity_noise(s, 0.01, seed);
}

/* A walk whose every step has two humps, the second the taller, from its first
 * step: still 3 s, 30 s of steps of period T, still 3 s; noise 0.01 g; the
 * cadence hint from 4 s into the walk. No single-humped step ever tells the
 * detector which hump the rhythm is on: the first steps, taken before any
 * rhythm, put their ICs on the taller hump, and the interval from such an IC to
 * the next second hump is as regular as the interval between first humps (before
 * the dip rule every step's IC lay on its second hump, ~+115 ms). Asserted:
 * every step once the rhythm is known within ±50 ms (the humps are ~120 ms
 * apart), one contact per step, at 100 and 200 Hz and at 86 and 100 steps/min. */
static void test_every_step_two_humped(void **state)
{
  (void)state;
  const double rates[] = {100, 200}, periods[] = {0.7, 0.6};
  for (int ri = 0; ri < 2; ri++)
    for (int pi = 0; pi < 2; pi++) {
      double fs = rates[ri], T = periods[pi], t_w0 = 3, t_w1 = 33;
      gbt_signal s;
      steady_walk(&s, fs, T, t_w0, t_w1, two_hump_step, 1.25, 17);
      const steady_hint h = {60.0 / T, t_w0 + 4, t_w1};
      size_t n = 0;
      double *d = run_detector(&s, s.vert, s.vert, fs, (size_t)(fs / 4), steady_hint_fn, &h, &n);
      size_t scored = 0, beyond = 0;
      double worst = 0;
      for (size_t i = 0; i < s.n_steps; i++) {
        if (s.steps[i].t_s < t_w0 + 5) continue; /* once the rhythm is known */
        double e = nearest(d, n, s.steps[i].t_s);
        scored++;
        beyond += fabs(e) > 0.05;
        if (fabs(e) > fabs(worst)) worst = e;
      }
      printf("  every step two-humped (second hump taller), %3.0f spm, %3.0f Hz: %zu steps scored, %zu beyond "
             "±50 ms (worst %+.0f ms), %zu contacts for %zu steps\n", 60 / T, fs, scored, beyond, worst * 1000, n,
             s.n_steps);
      assert_true(scored >= 30);
      assert_int_equal(beyond, 0);
      assert_int_equal(n, s.n_steps);
      free(d);
      gbt_free(&s);
    }
}

/* One walking step of period T at x s after its IC (g above 1 g) whose late
 * single support carries the push-off of the stance leg as a slow wave: the
 * loading hump (half sine, 0.22 s, 0.22 g), single support (a negative half sine
 * to 0.30 s before the end of the step), the push-off (a quarter sine rising
 * over 0.20 s to 0.15 g, then falling over 0.06 s), and a dip under gravity
 * (half sine, the last 0.04 s, -0.15 g) before the next heel strike; the
 * single-support depth makes the step average 1 g. */
static double push_off_step(double x, double T)
{
  double t1 = T - 0.30, area_up = 0.22 * 0.22 * 2 / M_PI + 0.15 * 0.20 * 2 / M_PI + 0.15 * 0.06 * 2 / M_PI -
                                   0.15 * 0.04 * 2 / M_PI;
  double B = area_up * M_PI / 2 / (t1 - 0.22);
  if (x < 0.22) return 0.22 * sin(M_PI * x / 0.22);
  if (x < t1) return -B * sin(M_PI * (x - 0.22) / (t1 - 0.22));
  if (x < t1 + 0.20) return 0.15 * sin(0.5 * M_PI * (x - t1) / 0.20);
  if (x < T - 0.04) return 0.15 * cos(0.5 * M_PI * (x - t1 - 0.20) / 0.06);
  return -0.15 * sin(M_PI * (x - (T - 0.04)) / 0.04);
}

/* The counterpart of test_every_step_two_humped: every step of a walk is preceded
 * by the previous step's push-off wave, which falls under gravity just before the
 * heel strike (a dip between it and the loading hump, as between a heel strike's
 * transient and the loading). The push-off rises for 0.20 s, longer than a heel
 * strike's transient can (the loading response, a fifth of a step), so it is not
 * taken for the step's first hump: every step once the rhythm is known within
 * ±25 ms of its IC, one contact per step, at 100 and 200 Hz and at 75 and 86
 * steps/min. */
static void test_push_off_wave_then_dip_before_each_step(void **state)
{
  (void)state;
  const double rates[] = {100, 200}, periods[] = {0.8, 0.7};
  for (int ri = 0; ri < 2; ri++)
    for (int pi = 0; pi < 2; pi++) {
      double fs = rates[ri], T = periods[pi], t_w0 = 3, t_w1 = 33;
      gbt_signal s;
      steady_walk(&s, fs, T, t_w0, t_w1, push_off_step, 1.22, 29);
      const steady_hint h = {60.0 / T, t_w0 + 4, t_w1};
      size_t n = 0;
      double *d = run_detector(&s, s.vert, s.vert, fs, (size_t)(fs / 4), steady_hint_fn, &h, &n);
      /* scored from 5 s into the walk (before the rhythm the detector's window is
         the shortest step and the push-off waves are contacts of their own) to 1 s
         before its end (the last step's push-off, with no heel strike after it) */
      double *tt = malloc(s.n_steps * sizeof(double)), *dd = malloc((n + 1) * sizeof(double));
      assert_non_null(tt);
      assert_non_null(dd);
      size_t nt = 0, nd = 0, beyond = 0;
      double worst = 0;
      for (size_t i = 0; i < s.n_steps; i++) {
        if (s.steps[i].t_s < t_w0 + 5 || s.steps[i].t_s > t_w1 - 1) continue;
        double e = nearest(d, n, s.steps[i].t_s);
        tt[nt++] = s.steps[i].t_s;
        beyond += fabs(e) > 0.025;
        if (fabs(e) > fabs(worst)) worst = e;
      }
      for (size_t i = 0; i < n; i++)
        if (d[i] >= t_w0 + 5 - 0.025 && d[i] <= t_w1 - 1 + 0.025) dd[nd++] = d[i];
      double r, pr, f1 = gbt_f1(dd, nd, tt, nt, 0.025, &r, &pr);
      printf("  push-off wave and a dip under 1 g before every heel strike, %3.0f spm, %3.0f Hz: %zu steps scored, "
             "%zu beyond ±25 ms (worst %+.0f ms), F1 at ±25 ms %.3f (%zu contacts)\n", 60 / T, fs, nt, beyond,
             worst * 1000, f1, nd);
      assert_true(nt >= 25);
      assert_int_equal(beyond, 0);
      assert_true(f1 >= 0.999);
      free(tt);
      free(dd);
      free(d);
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
      cmocka_unit_test(test_uturn_last_bits),
      cmocka_unit_test(test_faint_step_in_a_slow_walk),
      cmocka_unit_test(test_two_humps_through_a_slow_down),
      cmocka_unit_test(test_every_step_two_humped),
      cmocka_unit_test(test_push_off_wave_then_dip_before_each_step),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
