/* gb_ct_walk_drop_fast (contacts_walk.c): of two trunk walking contacts closer than
 * the shortest walking step (0.4 s) inside a walking rhythm, the weaker is
 * dropped; everything else is left alone. Step tables built by hand, expected
 * results counted by hand:
 *  - an extra weaker contact 0.37 s after a step of a 0.6 s rhythm is dropped, the
 *    sides alternate again and the step whose vertical excursion ended at it gets
 *    NaN;
 *  - a weaker extra contact 0.38 s before the next heel strike of a slow 1.0 s
 *    step (a turn) is dropped and the later one kept (the mirror case);
 *  - a stronger extra contact replaces the step before it and is not paired again
 *    with the next step (no cascade);
 *  - a jog whose flight was not seen (0.36 s steps, one pair 0.27 s apart; no
 *    contact time), running
 *    contacts (contact time set), 0.42 s steps, and a 0.39 s interval within 15 %
 *    of a 0.44 s rhythm are all kept. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gait/contacts_internal.h"

#define MAX_STEP_S 1.0 /* slowest step searched at 60 steps/min */

/* n steps every dt s from 1 s, peak 1.3 g, alternating sides, excursion 3 cm;
 * contact time NaN (walking) unless ct_ms > 0. */
static size_t rhythm(gb_step *s, size_t n, double dt, float ct_ms)
{
  memset(s, 0, n * sizeof *s);
  for (size_t i = 0; i < n; i++) {
    s[i].t_s = 1.0 + dt * (double)i;
    s[i].peak_g = 1.3f;
    s[i].side = (int8_t)(i & 1);
    s[i].vertical_osc_cm = 3.0f;
    s[i].contact_time_ms = ct_ms > 0 ? ct_ms : NAN;
  }
  return n;
}

/* Inserts a step at t (after index at-1), peak pk, side of the next alternation. */
static size_t insert(gb_step *s, size_t n, size_t at, double t, float pk)
{
  memmove(s + at + 1, s + at, (n - at) * sizeof *s);
  s[at] = s[at - 1];
  s[at].t_s = t;
  s[at].peak_g = pk;
  for (size_t i = at; i <= n; i++) s[i].side = (int8_t)(i & 1);
  return n + 1;
}

static void assert_alternating(const gb_step *s, size_t n)
{
  for (size_t i = 1; i < n; i++) assert_int_not_equal(s[i].side, s[i - 1].side);
}

static void test_weaker_extra_dropped(void **state)
{
  (void)state;
  gb_step s[32];
  size_t n = rhythm(s, 12, 0.6, 0);
  n = insert(s, n, 6, s[5].t_s + 0.37, 1.15f); /* weaker than step 5 */
  gb_ct_walk_drop_fast(s, &n, MAX_STEP_S);
  assert_int_equal(n, 12);
  for (size_t i = 0; i < n; i++) assert_true(fabs(s[i].t_s - (1.0 + 0.6 * (double)i)) < 1e-12);
  assert_alternating(s, n);
  assert_true(isnan(s[5].vertical_osc_cm)); /* it ended at the dropped contact */
  for (size_t i = 0; i < n; i++)
    if (i != 5) assert_true(s[i].vertical_osc_cm == 3.0f);
}

static void test_weaker_first_dropped(void **state)
{
  (void)state;
  gb_step s[32];
  /* a slow (turning) step of 1.0 s inside a 0.6 s rhythm, with a weaker extra
     contact 0.38 s before the next heel strike: the later, stronger one stays */
  size_t n = rhythm(s, 12, 0.6, 0);
  for (size_t i = 6; i < n; i++) s[i].t_s += 0.4;
  double t_next = s[6].t_s;
  n = insert(s, n, 6, t_next - 0.38, 1.15f);
  gb_ct_walk_drop_fast(s, &n, MAX_STEP_S);
  assert_int_equal(n, 12);
  assert_true(fabs(s[6].t_s - t_next) < 1e-12);
  assert_true(s[6].peak_g == 1.3f);
  assert_true(fabs(s[5].t_s - (1.0 + 0.6 * 5)) < 1e-12);
  assert_alternating(s, n);
  assert_true(isnan(s[5].vertical_osc_cm)); /* it ended at the dropped contact */
  for (size_t i = 0; i < n; i++)
    if (i != 5) assert_true(s[i].vertical_osc_cm == 3.0f);
}

static void test_no_cascade(void **state)
{
  (void)state;
  gb_step s[32];
  /* a stronger extra contact 0.37 s after step 5 of a 0.6 s rhythm wins its pair
     with step 5, and is not paired again with step 6 (0.23 s after it) */
  size_t n = rhythm(s, 12, 0.6, 0);
  double t_extra = s[5].t_s + 0.37, t6 = s[6].t_s;
  n = insert(s, n, 6, t_extra, 1.45f);
  gb_ct_walk_drop_fast(s, &n, MAX_STEP_S);
  assert_int_equal(n, 12);
  assert_true(fabs(s[5].t_s - t_extra) < 1e-12 && fabs(s[6].t_s - t6) < 1e-12);
  assert_true(isnan(s[4].vertical_osc_cm)); /* it ended at the dropped step 5 */
  assert_alternating(s, n);
}

static void test_kept(void **state)
{
  (void)state;
  gb_step s[64];
  size_t n;
  /* a jog without a seen flight: 0.36 s steps, one pair 0.27 s apart (then 0.45 s):
     short enough to be dropped in a walking rhythm, but the rhythm is no walk's */
  n = rhythm(s, 20, 0.36, 0);
  s[10].t_s -= 0.09;
  gb_ct_walk_drop_fast(s, &n, MAX_STEP_S);
  assert_int_equal(n, 20);
  /* running contacts (contact time measured) every 0.3 s inside 0.6 s walking ones
     would be dropped if they were walking: they are not touched */
  n = rhythm(s, 12, 0.6, 250.0f);
  n = insert(s, n, 6, s[5].t_s + 0.3, 1.1f);
  gb_ct_walk_drop_fast(s, &n, MAX_STEP_S);
  assert_int_equal(n, 13);
  /* 0.42 s steps: at or above the shortest walking step */
  n = rhythm(s, 20, 0.42, 0);
  gb_ct_walk_drop_fast(s, &n, MAX_STEP_S);
  assert_int_equal(n, 20);
  /* a 0.39 s interval in a 0.44 s rhythm: under 0.4 s but within 15 % of the rhythm */
  n = rhythm(s, 20, 0.44, 0);
  for (size_t i = 11; i < n; i++) s[i].t_s -= 0.05;
  gb_ct_walk_drop_fast(s, &n, MAX_STEP_S);
  assert_int_equal(n, 20);
  /* too few steps for a rhythm */
  n = rhythm(s, 2, 0.3, 0);
  gb_ct_walk_drop_fast(s, &n, MAX_STEP_S);
  assert_int_equal(n, 2);
}

int main(void)
{
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_weaker_extra_dropped),
                                     cmocka_unit_test(test_weaker_first_dropped),
                                     cmocka_unit_test(test_no_cascade),
                                     cmocka_unit_test(test_kept)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
