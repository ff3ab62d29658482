/* Posture stage: trunk lean from the slow stream. The synthetic 3-channel trunk
 * signal carries all its (vertical) acceleration along the trunk's vertical axis,
 * tilted about x by a known angle per segment (helpers/signals.h), so the lean
 * after a still upright segment is known exactly. Slow rows are block means over
 * 0.1 s, as the preprocess stage makes them.
 *  - with a still reference: lean within ±2° of 8° and then 14°;
 *  - without a still segment: the reference is the sensor axis closest to
 *    gravity (z), so a 10° tilt from the start reads 10°;
 *  - 1-channel sensors and non-trunk sites give no lean rows. */
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

static void lean_of(const gbt_spec *sp, gb_location loc, gb_lean_row **rows, size_t *n)
{
  gbt_signal s;
  assert_int_equal(gbt_build(sp, &s), 0);
  gb_config cfg;
  gb_config_defaults(&cfg);
  gb_analyzer_input in = {sp->fs, s.channels, loc, 0};
  gb_posture *ps = gb_posture_create(&cfg.analysis, &in);
  assert_non_null(ps);
  size_t blk = (size_t)lround(sp->fs * GB_SLOW_BLOCK_S), ch = (size_t)s.channels;
  for (size_t i0 = 0; i0 + blk <= s.n; i0 += blk) {
    gb_slow_row r;
    memset(&r, 0, sizeof r);
    double g[3] = {0, 0, 0}, m = 0, mm = 0;
    for (size_t i = i0; i < i0 + blk; i++) {
      const float *f = s.frames + i * ch;
      double a2 = 0;
      for (size_t k = 0; k < ch; k++) { g[ch == 3 ? k : 2] += f[k]; a2 += (double)f[k] * f[k]; }
      m += sqrt(a2);
      mm += a2;
    }
    r.t_s = ((double)i0 + 0.5 * (double)blk) / sp->fs;
    r.gx = (float)(g[0] / blk); r.gy = (float)(g[1] / blk); r.gz = (float)(g[2] / blk);
    r.mag_mean = (float)(m / blk);
    r.mag_sd = (float)sqrt(fmax(0, mm / blk - (m / blk) * (m / blk)));
    assert_int_equal(gb_posture_push(ps, &r, 1), 0);
  }
  assert_int_equal(gb_posture_finish(ps, rows, n), 0);
  gb_posture_free(ps);
  gbt_free(&s);
}

static void spec(gbt_spec *sp, int channels, int with_still, double lean1, double lean2)
{
  memset(sp, 0, sizeof *sp);
  sp->fs = 200;
  sp->site = GBT_SITE_TRUNK;
  sp->channels = channels;
  sp->noise_sd = 0.02;
  sp->seed = 3;
  if (with_still) sp->seg[sp->n_seg++] = (gbt_segment){GBT_STILL, 10, 0, 0, 1, 0.5, 0, 0, 0};
  sp->seg[sp->n_seg++] = (gbt_segment){GBT_RUN, 60, 168, 168, 1, 0.5, lean1, 0, 0};
  sp->seg[sp->n_seg++] = (gbt_segment){GBT_RUN, 60, 175, 175, 1, 0.5, lean2, 0, 0};
}

static void check(const gb_lean_row *rows, size_t n, double t0, double t1, double want)
{
  size_t k = 0;
  double worst = 0;
  for (size_t i = 0; i < n; i++) {
    if (rows[i].t_s < t0 || rows[i].t_s > t1) continue;
    k++;
    double e = fabs(rows[i].lean_deg - want);
    if (e > worst) worst = e;
  }
  printf("  %.0f-%.0f s: %zu rows, worst error %.2f deg (true %.1f)\n", t0, t1, k, worst, want);
  assert_true(k >= (size_t)(t1 - t0) - 2);
  assert_true(worst <= 2.0);
}

static void test_lean_with_still_reference(void **state)
{
  (void)state;
  gbt_spec sp;
  spec(&sp, 3, 1, 8, 14);
  gb_lean_row *rows;
  size_t n;
  lean_of(&sp, GB_LOC_SACRUM, &rows, &n);
  check(rows, n, 12, 68, 8);  /* 2 s margins: the low-pass spans 3 s */
  check(rows, n, 72, 129, 14);
  for (size_t i = 0; i < n; i++) assert_true(rows[i].t_s > 9); /* no rows while still */
  free(rows);
}

static void test_lean_declared_axis(void **state)
{
  (void)state;
  gbt_spec sp;
  spec(&sp, 3, 0, 10, 10);
  gb_lean_row *rows;
  size_t n;
  lean_of(&sp, GB_LOC_TRUNK, &rows, &n);
  check(rows, n, 1, 119, 10);
  free(rows);
}

static void test_no_lean_where_not_measurable(void **state)
{
  (void)state;
  gbt_spec sp;
  gb_lean_row *rows;
  size_t n;
  spec(&sp, 1, 1, 0, 0);
  lean_of(&sp, GB_LOC_SACRUM, &rows, &n);
  assert_int_equal(n, 0);
  free(rows);
  spec(&sp, 3, 1, 10, 10);
  lean_of(&sp, GB_LOC_WRIST, &rows, &n);
  assert_int_equal(n, 0);
  free(rows);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_lean_with_still_reference),
      cmocka_unit_test(test_lean_declared_axis),
      cmocka_unit_test(test_no_lean_where_not_measurable),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
