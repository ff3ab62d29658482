/* The analyzer's own stages in isolation: preprocess (vertical ≈ +1 g at rest in
 * any orientation, 1-channel sign, decimation, slow rows against hand-computed
 * values, block-size invariance) and bouts (labels and merging from hand-made
 * slow rows and cadence rows), and the run statistics' percentile (selection on a
 * copy) against a full sort. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gait/bouts.h"
#include "gait/preprocess.h"
#include "gait/run_stats.h"
#include "gaitbatch/config.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static gb_analysis_params defaults(void)
{
  gb_config cfg;
  gb_config_defaults(&cfg);
  return cfg.analysis;
}

typedef struct pp_out {
  float *vert, *mag, *dec;
  gb_slow_row *slow;
  size_t n_dec, n_slow;
} pp_out;

static void pp_run(gb_preproc *p, const float *fr, size_t n, size_t block, pp_out *o)
{
  o->vert = malloc(n * sizeof(float));
  o->mag = malloc(n * sizeof(float));
  o->dec = malloc((n + 1) * sizeof(float));
  o->slow = malloc((n + 2) * sizeof(gb_slow_row));
  o->n_dec = o->n_slow = 0;
  for (size_t i = 0; i < n; i += block) {
    size_t m = n - i < block ? n - i : block, nd, ns;
    gb_preproc_run(p, fr + i * (size_t)p->channels, m, o->vert + i, o->mag + i, o->dec + o->n_dec,
                   &nd, o->slow + o->n_slow, &ns);
    o->n_dec += nd;
    o->n_slow += ns;
  }
  o->n_slow += (size_t)gb_preproc_flush(p, o->slow + o->n_slow);
}

static void pp_free(pp_out *o)
{
  free(o->vert);
  free(o->mag);
  free(o->dec);
  free(o->slow);
}

static void test_vertical_any_orientation(void **state)
{
  (void)state;
  const double dirs[][3] = {{0, 0, 1}, {0, 0, -1}, {1, 0, 0}, {0.6, -0.48, 0.64}};
  for (size_t d = 0; d < 4; d++) {
    gb_preproc p;
    gb_preproc_init(&p, 100, 3, 0.3);
    size_t n = 2000;
    float *fr = malloc(n * 3 * sizeof(float));
    /* gravity along dirs[d] plus a 2 Hz, 0.3 g oscillation along the same axis */
    for (size_t i = 0; i < n; i++) {
      double v = 1 + 0.3 * sin(2 * M_PI * 2 * (double)i / 100);
      for (int a = 0; a < 3; a++) fr[3 * i + a] = (float)(v * dirs[d][a]);
    }
    pp_out o;
    pp_run(&p, fr, n, 256, &o);
    for (size_t i = 500; i < n; i++) { /* after the gravity filter settles */
      double v = 1 + 0.3 * sin(2 * M_PI * 2 * (double)i / 100);
      assert_float_equal(o.vert[i], v, 1e-3);
      assert_float_equal(o.mag[i], fabs(v), 1e-5);
    }
    assert_int_equal(p.dec_factor, 2);
    assert_int_equal(o.n_dec, n / 2);
    pp_free(&o);
    free(fr);
  }
}

static void test_one_channel_sign(void **state)
{
  (void)state;
  gb_preproc p;
  gb_preproc_init(&p, 500, 1, 0.3);
  size_t n = 5000;
  float *fr = malloc(n * sizeof(float));
  for (size_t i = 0; i < n; i++) fr[i] = (float)(-1.0 - 0.5 * sin(2 * M_PI * 3 * (double)i / 500));
  pp_out o;
  pp_run(&p, fr, n, 1000, &o);
  for (size_t i = 0; i < n; i++) {
    assert_float_equal(o.vert[i], -fr[i], 1e-6); /* flipped: gravity reads +1 */
    assert_float_equal(o.mag[i], fabsf(fr[i]), 1e-6);
  }
  assert_int_equal(p.dec_factor, 10); /* 500 Hz -> 50 Hz analysis rate */
  assert_int_equal(o.n_dec, 500);
  pp_free(&o);
  free(fr);
}

static void test_slow_rows(void **state)
{
  (void)state;
  gb_preproc p;
  gb_preproc_init(&p, 100, 3, 0.3);
  size_t n = 1005; /* 100 full 0.1 s blocks and a partial one of 5 frames */
  float *fr = malloc(n * 3 * sizeof(float));
  for (size_t i = 0; i < n; i++) {
    fr[3 * i] = 0.1f * (float)(i % 10); /* 0, 0.1, ... 0.9 in every block */
    fr[3 * i + 1] = 0;
    fr[3 * i + 2] = 1;
  }
  pp_out o;
  pp_run(&p, fr, n, 7, &o);
  assert_int_equal(o.n_slow, 101);
  /* block 3: frames 30..39, centre time (30 + 4.5) / 100 */
  assert_float_equal(o.slow[3].t_s, 0.345, 1e-12);
  assert_float_equal(o.slow[3].gx, 0.45, 1e-6);
  assert_float_equal(o.slow[3].gz, 1.0, 1e-6);
  double mm = 0, m2 = 0;
  for (int k = 0; k < 10; k++) {
    double m = sqrt(0.01 * k * k + 1);
    mm += m / 10;
    m2 += m * m / 10;
  }
  assert_float_equal(o.slow[3].mag_mean, mm, 1e-5);
  assert_float_equal(o.slow[3].mag_sd, sqrt(m2 - mm * mm), 1e-4);
  /* the partial block: frames 1000..1004 */
  assert_float_equal(o.slow[100].t_s, 10.02, 1e-12);
  assert_float_equal(o.slow[100].gx, 0.2, 1e-6);
  pp_free(&o);
  free(fr);
}

static void test_block_invariance(void **state)
{
  (void)state;
  size_t n = 12345;
  float *fr = malloc(n * 3 * sizeof(float));
  for (size_t i = 0; i < 3 * n; i++) fr[i] = (float)sin(0.001 * (double)(i * i % 100003));
  pp_out a, b;
  gb_preproc p;
  gb_preproc_init(&p, 1000, 3, 0.3);
  pp_run(&p, fr, n, 1, &a);
  gb_preproc_init(&p, 1000, 3, 0.3);
  pp_run(&p, fr, n, 4096, &b);
  assert_int_equal(a.n_dec, b.n_dec);
  assert_int_equal(a.n_slow, b.n_slow);
  assert_memory_equal(a.vert, b.vert, n * sizeof(float));
  assert_memory_equal(a.dec, b.dec, a.n_dec * sizeof(float));
  assert_memory_equal(a.slow, b.slow, a.n_slow * sizeof(gb_slow_row));
  pp_free(&a);
  pp_free(&b);
  free(fr);
}

/* bouts from hand-made rows: 0-20 s running, 20-22 s a 2 s wobble (other),
 * 22-40 s walking, 40-60 s still */
static void test_bouts_merge(void **state)
{
  (void)state;
  gb_analysis_params prm = defaults();
  gb_bouts *b = gb_bouts_create(&prm);
  assert_non_null(b);
  gb_slow_row rows[600];
  for (int i = 0; i < 600; i++) {
    double t = 0.05 + 0.1 * i;
    memset(&rows[i], 0, sizeof rows[i]);
    rows[i].t_s = t;
    rows[i].mag_mean = 1;
    rows[i].mag_sd = t < 20 ? 0.9f : t < 40 ? 0.2f : 0.005f;
  }
  assert_int_equal(gb_bouts_push(b, rows, 250), 0);
  assert_int_equal(gb_bouts_push(b, rows + 250, 350), 0);
  gb_cadence_row cad[60];
  for (int i = 0; i < 60; i++) {
    cad[i].t_s = i + 0.5;
    cad[i].cadence_spm = i < 20 ? 170.0f : (i < 22 ? 0.0f : i < 40 ? 105.0f : 0.0f);
    cad[i].confidence = cad[i].cadence_spm > 0 ? 0.9f : 0.0f;
  }
  gb_step steps[3] = {{.t_s = 5}, {.t_s = 30}, {.t_s = 30.5}};
  gb_bout *out = NULL;
  size_t n = 0;
  assert_int_equal(gb_bouts_finish(b, cad, 60, 60.0, steps, 3, &out, &n), 0);
  assert_int_equal(n, 3);
  assert_int_equal(out[0].kind, GB_BOUT_RUNNING);
  assert_int_equal(out[1].kind, GB_BOUT_WALKING);
  assert_int_equal(out[2].kind, GB_BOUT_STILL);
  /* the 2 s "other" wobble joined its longer neighbour (running, 20 s) */
  assert_float_equal(out[0].t_end_s, 22, 1e-9);
  assert_float_equal(out[1].t_end_s, 40, 1e-9);
  assert_float_equal(out[2].t_end_s, 60, 1e-9);
  assert_float_equal(out[0].cadence_spm, 170, 1e-6);
  assert_float_equal(out[1].cadence_spm, 105, 1e-6);
  assert_float_equal(out[2].cadence_spm, 0, 1e-6);
  assert_int_equal(out[0].n_steps, 1);
  assert_int_equal(out[1].n_steps, 2);
  assert_int_equal(steps[0].bout_kind, GB_BOUT_RUNNING);
  assert_int_equal(steps[2].bout_kind, GB_BOUT_WALKING);
  free(out);
  gb_bouts_free(b);
}

static int cmp_flt(const void *a, const void *b)
{
  float x = *(const float *)a, y = *(const float *)b;
  return (x > y) - (x < y);
}

/* Type-7 percentile the straightforward way: sort the finite values, interpolate. */
static float ref_percentile(const float *x, size_t n, double p)
{
  float *c = malloc((n ? n : 1) * sizeof *c);
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (isfinite(x[i])) c[m++] = x[i];
  if (m == 0) {
    free(c);
    return NAN;
  }
  qsort(c, m, sizeof *c, cmp_flt);
  double h = (double)(m - 1) * p;
  size_t lo = (size_t)floor(h), hi = lo + 1 < m ? lo + 1 : lo;
  double v = c[lo] + (h - (double)lo) * ((double)c[hi] - c[lo]);
  free(c);
  return (float)v;
}

static uint64_t g_sel = 0x2545F4914F6CDD1Dull;
static double sel_rand01(void)
{
  g_sel ^= g_sel >> 12;
  g_sel ^= g_sel << 25;
  g_sel ^= g_sel >> 27;
  return (double)((g_sel * 2685821657736338717ull) >> 11) * (1.0 / 9007199254740992.0);
}

/* gb_rs_percentile selects instead of sorting: hand-checked values, then bit-identical
 * to a full sort on random, tied, sorted, reversed, constant and NaN/Inf-holed data. */
static void test_percentile_selection(void **state)
{
  (void)state;
  const float four[] = {4, 1, 3, 2};
  assert_true(gb_rs_percentile(four, 4, 0.5) == 2.5f);
  assert_true(gb_rs_median(four, 3) == 3.0f); /* {4, 1, 3} */
  float v21[21];
  for (int i = 0; i < 21; i++) v21[i] = (float)(21 - i); /* 21..1 */
  assert_true(gb_rs_percentile(v21, 21, 0.95) == 20.0f); /* h = 19 -> 20 */
  assert_true(gb_rs_percentile(v21, 21, 0.0) == 1.0f);
  assert_true(gb_rs_percentile(v21, 21, 1.0) == 21.0f);
  const float holes[] = {NAN, 5, INFINITY, 1, -INFINITY};
  assert_true(gb_rs_percentile(holes, 5, 0.5) == 3.0f);
  const float none[] = {NAN, NAN};
  assert_true(isnan(gb_rs_percentile(none, 2, 0.5)));

  const double ps[] = {0, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1};
  const size_t sizes[] = {1, 2, 3, 7, 16, 17, 100, 1001, 4096, 20000};
  float *x = malloc(20000 * sizeof *x);
  size_t checked = 0;
  for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
    size_t n = sizes[si];
    for (int kind = 0; kind < 6; kind++) {
      for (size_t i = 0; i < n; i++) {
        double u = sel_rand01();
        switch (kind) {
        case 0: x[i] = (float)(10 * u - 3); break;             /* continuous */
        case 1: x[i] = (float)floor(8 * u); break;             /* many ties */
        case 2: x[i] = (float)i; break;                        /* sorted */
        case 3: x[i] = (float)(n - i); break;                  /* reversed */
        case 4: x[i] = 2.5f; break;                            /* constant */
        default: x[i] = u < 0.1 ? NAN : u < 0.15 ? INFINITY : (float)(100 * u); /* holes */
        }
      }
      for (size_t k = 0; k <= sizeof ps / sizeof ps[0]; k++) {
        double p = k < sizeof ps / sizeof ps[0] ? ps[k] : sel_rand01();
        float got = gb_rs_percentile(x, n, p), want = ref_percentile(x, n, p);
        if (memcmp(&got, &want, sizeof got) != 0 && !(isnan(got) && isnan(want)))
          fail_msg("n %zu kind %d p %.4f: %.9g, full sort %.9g", n, kind, p, got, want);
        checked++;
      }
    }
  }
  free(x);
  assert_true(checked == 10 * 6 * 12);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_vertical_any_orientation),
      cmocka_unit_test(test_one_channel_sign),
      cmocka_unit_test(test_slow_rows),
      cmocka_unit_test(test_block_invariance),
      cmocka_unit_test(test_bouts_merge),
      cmocka_unit_test(test_percentile_selection),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
