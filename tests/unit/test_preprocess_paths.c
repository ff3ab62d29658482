/* gait/preprocess: the vectorised path of gb_preproc_run (3 channels,
 * decimating) gives the same bits as the frame-by-frame reference path
 * (gb_preproc_run_reference) for every output (vertical and |a| at full rate,
 * the decimated stream, the slow rows) and leaves the same filter and block
 * state, whatever the block sizes (odd, even, single frames, a slow block cut
 * across calls), at 100, 500 and 1000 Hz, through a stretch of free fall (zero
 * gravity estimate: the norm stands in for the projection) and after non-finite
 * frames. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gait/preprocess.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static double uniform(void) /* xorshift64: deterministic */
{
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (double)(rng >> 11) * 0x1p-53;
}

/* A running-like 3-axis signal: gravity tilted by a slowly drifting lean, a
 * step-rate loading wave with impacts, noise. zero_frames: the first frames read
 * exactly 0 g on every axis (free fall from the start). nan_at: one frame whose
 * y is NaN (0 = none); inf_at: one frame whose x is +inf (0 = none). */
static float *make_frames(size_t n, double fs, size_t zero_frames, size_t nan_at, size_t inf_at)
{
  float *f = malloc(n * 3 * sizeof *f);
  assert_non_null(f);
  for (size_t i = 0; i < n; i++) {
    double t = (double)i / fs, lean = 0.15 + 0.05 * sin(0.1 * t);
    double load = 1.0 + 0.9 * sin(2 * M_PI * 2.8 * t) + 0.3 * sin(2 * M_PI * 14.0 * t);
    float *q = f + i * 3;
    q[0] = (float)(-sin(lean) * load + 0.2 * sin(2 * M_PI * 1.4 * t) + 0.05 * (uniform() - 0.5));
    q[1] = (float)(0.1 * sin(2 * M_PI * 1.4 * t + 0.3) + 0.05 * (uniform() - 0.5));
    q[2] = (float)(cos(lean) * load + 0.05 * (uniform() - 0.5));
    if (i < zero_frames) q[0] = q[1] = q[2] = 0.0f;
  }
  if (nan_at) f[nan_at * 3 + 1] = NAN;
  if (inf_at) f[inf_at * 3] = INFINITY;
  return f;
}

typedef struct outputs {
  float *vert, *mag, *dec;
  gb_slow_row *slow;
  size_t n_dec, n_slow;
  gb_preproc p;
} outputs;

/* Runs the whole signal through one path in blocks of the given sizes (cycled). */
static void run_path(int reference, const float *f, size_t n, double fs, const size_t *blocks,
                     size_t n_blocks, outputs *o)
{
  memset(o, 0, sizeof *o);
  o->vert = malloc(n * sizeof(float));
  o->mag = malloc(n * sizeof(float));
  o->dec = malloc((n + 1) * sizeof(float));
  o->slow = malloc((n + 1) * sizeof(gb_slow_row));
  assert_true(o->vert && o->mag && o->dec && o->slow);
  gb_preproc_init(&o->p, fs, 3, 0.3);
  size_t done = 0, b = 0;
  while (done < n) {
    size_t m = blocks[b++ % n_blocks];
    if (m > n - done) m = n - done;
    size_t nd = 0, ns = 0;
    if (reference)
      gb_preproc_run_reference(&o->p, f + done * 3, m, o->vert + done, o->mag + done, o->dec + o->n_dec, &nd,
                               o->slow + o->n_slow, &ns);
    else
      gb_preproc_run(&o->p, f + done * 3, m, o->vert + done, o->mag + done, o->dec + o->n_dec, &nd,
                     o->slow + o->n_slow, &ns);
    o->n_dec += nd;
    o->n_slow += ns;
    done += m;
  }
  gb_slow_row last;
  if (gb_preproc_flush(&o->p, &last)) o->slow[o->n_slow++] = last;
}

static void free_outputs(outputs *o)
{
  free(o->vert);
  free(o->mag);
  free(o->dec);
  free(o->slow);
}

/* Same bits, or both NaN: after a non-finite frame the sign of a NaN left in a
 * state follows the operand order (the analyzer refuses such frames). */
static void assert_same_state(double a, double b)
{
  if (isnan(a) && isnan(b)) return;
  assert_memory_equal(&a, &b, sizeof a);
}

/* Float arrays: the same bits, or both NaN (a NaN's sign after non-finite input
 * is not kept alike even by the scalar code's Debug and Release builds). */
static void assert_same_floats(const float *a, const float *b, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    if (isnan(a[i]) && isnan(b[i])) continue;
    if (memcmp(&a[i], &b[i], sizeof a[i]) != 0) fail_msg("value %zu: %.9g vs %.9g", i, (double)a[i], (double)b[i]);
  }
}

static void assert_same_biquad_state(const gb_biquad *a, const gb_biquad *b)
{
  assert_same_state(a->z1, b->z1);
  assert_same_state(a->z2, b->z2);
}

static void compare(const float *f, size_t n, double fs, const size_t *blocks, size_t n_blocks)
{
  outputs r, v;
  run_path(1, f, n, fs, blocks, n_blocks, &r);
  run_path(0, f, n, fs, blocks, n_blocks, &v);
  assert_same_floats(r.vert, v.vert, n);
  assert_same_floats(r.mag, v.mag, n);
  assert_int_equal(r.n_dec, v.n_dec);
  assert_same_floats(r.dec, v.dec, r.n_dec);
  assert_int_equal(r.n_slow, v.n_slow);
  for (size_t i = 0; i < r.n_slow; i++) {
    const gb_slow_row *a = &r.slow[i], *b = &v.slow[i];
    assert_memory_equal(&a->t_s, &b->t_s, sizeof a->t_s);
    const float fa[6] = {a->gx, a->gy, a->gz, a->mag_mean, a->mag_sd, a->vert_sd};
    const float fb[6] = {b->gx, b->gy, b->gz, b->mag_mean, b->mag_sd, b->vert_sd};
    assert_same_floats(fa, fb, 6);
  }
  for (int k = 0; k < 3; k++) assert_same_biquad_state(&r.p.grav[k], &v.p.grav[k]);
  for (int k = 0; k < 2; k++) assert_same_biquad_state(&r.p.aa[k], &v.p.aa[k]);
  assert_int_equal(r.p.dec_phase, v.p.dec_phase);
  assert_int_equal(r.p.n_in, v.p.n_in);
  free_outputs(&r);
  free_outputs(&v);
}

/* odd, even, single frames, one frame short of a pair, the analyzer's 4096 */
static const size_t blocks_mixed[] = {3, 1, 2, 4096, 7, 1000, 255, 256, 1, 5, 4095, 64};

/* Without the SSE2 path both runs would take the reference path: nothing to compare. */
static void need_simd(void)
{
#ifndef GB_PREPROC_SSE2
  print_message("skipped: this build has no SSE2 preprocessing path (GB_NO_SIMD or not x86-64)\n");
  skip();
#endif
}

static void test_rates_and_blocks(void **state)
{
  (void)state;
  need_simd();
  const double rates[] = {100.0, 500.0, 1000.0};
  for (size_t r = 0; r < sizeof rates / sizeof *rates; r++) {
    size_t n = (size_t)(40.0 * rates[r]) + 3;
    float *f = make_frames(n, rates[r], 0, 0, 0);
    compare(f, n, rates[r], blocks_mixed, sizeof blocks_mixed / sizeof *blocks_mixed);
    const size_t one[] = {4096};
    compare(f, n, rates[r], one, 1);
    free(f);
  }
}

/* 20000 frames at 500 Hz with the given start of zero frames, NaN and inf frames. */
static void compare_500(size_t zero_frames, size_t nan_at, size_t inf_at)
{
  size_t n = 20000;
  float *f = make_frames(n, 500.0, zero_frames, nan_at, inf_at);
  compare(f, n, 500.0, blocks_mixed, sizeof blocks_mixed / sizeof *blocks_mixed);
  free(f);
}

/* Zero frames from the start prime gravity at exactly 0: |g| <= 1e-6, and the
 * vertical value falls back to |a| in both paths. */
static void test_free_fall(void **state)
{
  (void)state;
  need_simd();
  compare_500(9000, 0, 0);
}

/* Non-finite frames (the analyzer refuses them; the paths must still agree on
 * every output): a NaN in y, and an inf in x followed by a NaN. */
static void test_non_finite_frames(void **state)
{
  (void)state;
  need_simd();
  compare_500(0, 12345, 0);
  compare_500(0, 15001, 9876);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_rates_and_blocks),
    cmocka_unit_test(test_free_fall),
    cmocka_unit_test(test_non_finite_frames),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
