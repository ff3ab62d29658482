/* util/select: every order statistic and median equals the one of a full qsort
 * (a second method), on random data, heavy duplicates, sorted, reversed and
 * interleaved input, at sizes around the insertion-sort cut-off (16) and large.
 * (The heap-sort fallback for adversarial input is not reached by these.) */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/select.h"

static int cmp_d(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static uint64_t rng = 88172645463325252ull;
static uint64_t next_u64(void) /* xorshift64 (Marsaglia 2003): deterministic */
{
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

enum { RANDOM, DUPLICATES, SORTED, REVERSED, INTERLEAVED, N_KINDS };

/* INTERLEAVED: two sorted runs shuffled into each other (odd: small, even: large). */
static void fill(double *v, size_t n, int kind)
{
  for (size_t i = 0; i < n; i++) {
    switch (kind) {
    case RANDOM: v[i] = (double)(next_u64() >> 11) * 0x1p-53 - 0.5; break;
    case DUPLICATES: v[i] = (double)(next_u64() % 5); break;
    case SORTED: v[i] = (double)i; break;
    case REVERSED: v[i] = (double)(n - i); break;
    default: v[i] = (double)((i % 2) ? i : n + i); break;
    }
  }
}

static void check_all(size_t n, int kind)
{
  double *v = malloc((n ? n : 1) * sizeof *v), *s = malloc((n ? n : 1) * sizeof *s),
         *w = malloc((n ? n : 1) * sizeof *w);
  float *vf = malloc((n ? n : 1) * sizeof *vf), *sf = malloc((n ? n : 1) * sizeof *sf);
  assert_true(v && s && w && vf && sf);
  fill(v, n, kind);
  for (size_t i = 0; i < n; i++) vf[i] = (float)v[i];
  memcpy(s, v, n * sizeof *v);
  qsort(s, n, sizeof *s, cmp_d);
  for (size_t i = 0; i < n; i++) sf[i] = (float)s[i];
  size_t ks[] = {0, n / 3, n / 2, n ? n - 1 : 0};
  for (size_t j = 0; j < 4 && n; j++) {
    size_t k = ks[j];
    memcpy(w, v, n * sizeof *v);
    gb_select_d(w, n, k);
    assert_true(w[k] == s[k]);
    for (size_t i = 0; i < k; i++) assert_true(w[i] <= w[k]);
    for (size_t i = k + 1; i < n; i++) assert_true(w[i] >= w[k]);
  }
  if (n) {
    memcpy(w, v, n * sizeof *v);
    double md = gb_median_d_inplace(w, n);
    double want = n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    assert_true(md == want);
    float *wf = malloc(n * sizeof *wf);
    memcpy(wf, vf, n * sizeof *vf);
    float mf = gb_median_f_inplace(wf, n);
    float wantf = n % 2 ? sf[n / 2] : 0.5f * (sf[n / 2 - 1] + sf[n / 2]);
    assert_true(mf == wantf);
    memcpy(wf, vf, n * sizeof *vf);
    gb_select_f(wf, n, n / 4);
    assert_true(wf[n / 4] == sf[n / 4]);
    free(wf);
  } else {
    assert_true(isnan(gb_median_d_inplace(w, 0)));
  }
  free(v);
  free(s);
  free(w);
  free(vf);
  free(sf);
}

/* gb_kth_nonneg_f against the sorted copy, for every k, with duplicates and zeros. */
static void test_kth_nonneg(void **state)
{
  (void)state;
  const size_t sizes[] = {1, 2, 3, 7, 16, 17, 100, 500, 501, 5000}; /* 5000: no compaction */
  for (int kind = 0; kind < 3; kind++)
    for (size_t j = 0; j < sizeof sizes / sizeof *sizes; j++) {
      size_t n = sizes[j];
      float *x = malloc(n * sizeof *x), *s = malloc(n * sizeof *s), *keep = malloc(n * sizeof *keep);
      assert_true(x && s && keep);
      for (size_t i = 0; i < n; i++) {
        uint64_t u = next_u64();
        x[i] = kind == 0 ? (float)((double)(u >> 11) * 0x1p-53) * 3.0f /* uniform [0, 3) */
             : kind == 1 ? (float)(u % 4) * 0.25f                      /* 0, .25, .5, .75 */
                         : (float)ldexp((double)(u % 1000), (int)(u >> 60) - 20); /* wide range */
        s[i] = x[i];
      }
      memcpy(keep, x, n * sizeof *x);
      double *sd = malloc(n * sizeof *sd);
      for (size_t i = 0; i < n; i++) sd[i] = s[i];
      qsort(sd, n, sizeof *sd, cmp_d);
      for (size_t k = 0; k < n; k += n > 600 ? 37 : 1) { /* every k, or 136 of 5000 */
        float below = -1.0f, v = gb_kth_nonneg_f(x, n, k, &below);
        assert_true(v == (float)sd[k]);
        if (k > 0) assert_true(below == (float)sd[k - 1]);
      }
      assert_memory_equal(x, keep, n * sizeof *x); /* x is left as it was */
      free(x);
      free(s);
      free(keep);
      free(sd);
    }
}

/* gb_kth_finite_f against a sorted copy of the finite values: signed values,
 * duplicates, a wide range, with NaN and infinities mixed in (ignored). */
static void test_kth_finite(void **state)
{
  (void)state;
  const size_t sizes[] = {1, 2, 3, 16, 17, 100, 501, 5000};
  for (int kind = 0; kind < 4; kind++)
    for (size_t j = 0; j < sizeof sizes / sizeof *sizes; j++) {
      size_t n = sizes[j];
      float *x = malloc(n * sizeof *x), *keep = malloc(n * sizeof *keep);
      double *sd = malloc(n * sizeof *sd);
      assert_true(x && keep && sd);
      size_t m = 0;
      for (size_t i = 0; i < n; i++) {
        uint64_t u = next_u64();
        x[i] = kind == 0 ? (float)((double)(u >> 11) * 0x1p-53) * 6.0f - 3.0f /* [-3, 3) */
             : kind == 1 ? (float)((int)(u % 5) - 2) * 0.5f                    /* -1 .. 1 */
             : kind == 2 ? (float)ldexp((double)((int)(u % 2001) - 1000), (int)(u >> 60) - 20)
                         : (float)(u % 7) - 3.0f;
        if (kind == 3 && u % 11 == 0) x[i] = u % 2 ? NAN : (u % 3 ? INFINITY : -INFINITY);
        if (isfinite(x[i])) sd[m++] = x[i];
      }
      memcpy(keep, x, n * sizeof *x);
      assert_int_equal(gb_count_finite_f(x, n), m);
      qsort(sd, m, sizeof *sd, cmp_d);
      for (size_t k = 0; k < m; k += m > 600 ? 37 : 1) {
        float v = -99.0f, nx = -99.0f;
        gb_kth_finite_f(x, n, k, &v, &nx);
        assert_true(v == (float)sd[k]);
        assert_true(nx == (float)sd[k + 1 < m ? k + 1 : k]);
      }
      assert_memory_equal(x, keep, n * sizeof *x); /* x is left as it was */
      free(x);
      free(keep);
      free(sd);
    }
}

static void test_select_matches_sort(void **state)
{
  (void)state;
  for (int kind = 0; kind < N_KINDS; kind++) {
    for (size_t n = 0; n <= 70; n++) check_all(n, kind);
    const size_t big[] = {257, 1000, 4097, 65536 + 3};
    for (size_t j = 0; j < sizeof big / sizeof *big; j++) check_all(big[j], kind);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_select_matches_sort),
                                     cmocka_unit_test(test_kth_nonneg),
                                     cmocka_unit_test(test_kth_finite)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
