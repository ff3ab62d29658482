/* Order statistics by selection (see select.h). */
#include "util/select.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Hoare's FIND (quickselect, CACM 4(7) 1961) with a median-of-three pivot. Ranges
 * of fewer than 16 values are finished by insertion sort (a library qsort's calls
 * through a comparison pointer cost more than the whole select on such ranges); a
 * range that shrinks too slowly (adversarial input) is heap-sorted, bounding the
 * worst case at O(n log n). Every path leaves v[k] equal to the sorted array's
 * v[k], so the results do not depend on which path ran. */
#define GB_DEFINE_SELECT(NAME, T)                                                  \
  static void NAME##_isort(T *v, ptrdiff_t lo, ptrdiff_t hi)                       \
  {                                                                                \
    for (ptrdiff_t i = lo + 1; i <= hi; i++) {                                     \
      T x = v[i];                                                                  \
      ptrdiff_t j = i - 1;                                                         \
      while (j >= lo && v[j] > x) {                                                \
        v[j + 1] = v[j];                                                           \
        j--;                                                                       \
      }                                                                            \
      v[j + 1] = x;                                                                \
    }                                                                              \
  }                                                                                \
  static void NAME##_sift(T *v, size_t root, size_t n)                             \
  {                                                                                \
    for (;;) {                                                                     \
      size_t c = 2 * root + 1;                                                     \
      if (c >= n) return;                                                          \
      if (c + 1 < n && v[c + 1] > v[c]) c++;                                       \
      if (!(v[c] > v[root])) return;                                               \
      T t = v[c];                                                                  \
      v[c] = v[root];                                                              \
      v[root] = t;                                                                 \
      root = c;                                                                    \
    }                                                                              \
  }                                                                                \
  static void NAME##_hsort(T *v, size_t n)                                         \
  {                                                                                \
    for (size_t i = n / 2; i-- > 0;) NAME##_sift(v, i, n);                         \
    for (size_t e = n; e-- > 1;) {                                                 \
      T t = v[0];                                                                  \
      v[0] = v[e];                                                                 \
      v[e] = t;                                                                    \
      NAME##_sift(v, 0, e);                                                        \
    }                                                                              \
  }                                                                                \
  void NAME(T *v, size_t n, size_t k)                                              \
  {                                                                                \
    if (k >= n) return;                                                            \
    ptrdiff_t lo = 0, hi = (ptrdiff_t)n - 1, kk = (ptrdiff_t)k;                    \
    int budget = 16;                                                               \
    for (size_t s = n; s > 1; s >>= 1) budget += 2; /* 2·log2(n) + 16 rounds */    \
    while (hi > lo) {                                                              \
      if (hi - lo < 16) {                                                          \
        NAME##_isort(v, lo, hi);                                                   \
        return;                                                                    \
      }                                                                            \
      if (budget-- == 0) {                                                         \
        NAME##_hsort(v + lo, (size_t)(hi - lo + 1));                               \
        return;                                                                    \
      }                                                                            \
      ptrdiff_t mid = lo + (hi - lo) / 2;                                          \
      T t;                                                                         \
      if (v[mid] < v[lo]) { t = v[mid]; v[mid] = v[lo]; v[lo] = t; }               \
      if (v[hi] < v[lo]) { t = v[hi]; v[hi] = v[lo]; v[lo] = t; }                  \
      if (v[hi] < v[mid]) { t = v[hi]; v[hi] = v[mid]; v[mid] = t; }               \
      const T pv = v[mid]; /* v[lo] <= pv <= v[hi]: both scans stop in range */  \
      ptrdiff_t i = lo, j = hi;                                                    \
      while (i <= j) {                                                             \
        while (v[i] < pv) i++;                                                     \
        while (v[j] > pv) j--;                                                     \
        if (i <= j) {                                                              \
          t = v[i];                                                                \
          v[i] = v[j];                                                             \
          v[j] = t;                                                                \
          i++;                                                                     \
          j--;                                                                     \
        }                                                                          \
      }                                                                            \
      /* v[lo..j] <= pv, v[i..hi] >= pv, and anything between equals pv */        \
      if (kk <= j)                                                                 \
        hi = j;                                                                    \
      else if (kk >= i)                                                            \
        lo = i;                                                                    \
      else                                                                         \
        return;                                                                    \
    }                                                                              \
  }

GB_DEFINE_SELECT(gb_select_f, float)
GB_DEFINE_SELECT(gb_select_d, double)

/* v[h] after selecting it, and the largest value before it (the (h-1)-th order
 * statistic) in *below when h > 0. */
#define GB_DEFINE_MIDDLE(NAME, T, SELECT)                                          \
  static T NAME(T *v, size_t n, T *below)                                          \
  {                                                                                \
    size_t h = n / 2;                                                              \
    SELECT(v, n, h);                                                               \
    T b = v[0];                                                                    \
    for (size_t i = 1; i < h; i++)                                                 \
      if (v[i] > b) b = v[i];                                                      \
    *below = b;                                                                    \
    return v[h];                                                                   \
  }
GB_DEFINE_MIDDLE(middle_d, double, gb_select_d)
GB_DEFINE_MIDDLE(middle_f, float, gb_select_f)

double gb_median_d_inplace(double *v, size_t n)
{
  if (!n) return NAN;
  double below, m = middle_d(v, n, &below);
  return n % 2 ? m : 0.5 * (below + m);
}

float gb_median_f_inplace(float *v, size_t n)
{
  if (!n) return NAN;
  float below, m = middle_f(v, n, &below);
  return n % 2 ? m : 0.5f * (below + m);
}

static uint32_t f2u(float f)
{
  uint32_t u;
  memcpy(&u, &f, sizeof u);
  return u;
}

/* Radix-select keys: the candidates left after the first digit are copied here
 * (on the stack) so that the next digits count only them; longer inputs count
 * every key at every digit. */
#define GB_KTH_COMPACT_MAX 4096
/* With this many candidates or fewer left, an insertion sort ends the selection
 * instead of the remaining digits' counting passes (each clears and scans 256
 * counters) */
#define GB_KTH_SORT_MAX 24

float gb_kth_nonneg_f(const float *x, size_t n, size_t k, float *below)
{
  uint32_t prefix = 0, mask = 0;
  size_t kk = k;
  uint32_t keys[GB_KTH_COMPACT_MAX];
  size_t m = 0;
  const int compact = n <= GB_KTH_COMPACT_MAX;
  for (int shift = 24; shift >= 0; shift -= 8) {
    uint32_t cnt[256] = {0};
    if (shift == 24 || !compact) {
      for (size_t i = 0; i < n; i++) {
        uint32_t u = f2u(x[i]);
        cnt[(u >> shift) & 255u] += (u & mask) == prefix; /* only the keys still in play */
      }
    } else {
      for (size_t i = 0; i < m; i++) cnt[(keys[i] >> shift) & 255u]++;
    }
    uint32_t b = 0;
    size_t acc = 0;
    while (acc + cnt[b] <= kk) acc += cnt[b++];
    kk -= acc;
    prefix |= b << shift;
    mask |= 255u << shift;
    if (compact && shift > 0) { /* keep the keys of the chosen digit (branch-free) */
      size_t j = 0;
      if (shift == 24) {
        for (size_t i = 0; i < n; i++) {
          uint32_t u = f2u(x[i]);
          keys[j] = u;
          j += (u & mask) == prefix;
        }
      } else {
        for (size_t i = 0; i < m; i++) {
          uint32_t u = keys[i];
          keys[j] = u;
          j += (u & mask) == prefix;
        }
      }
      m = j;
      if (m <= GB_KTH_SORT_MAX) { /* few keys left: the kk-th of them by sorting */
        for (size_t i = 1; i < m; i++) {
          uint32_t u = keys[i];
          size_t q = i;
          for (; q > 0 && keys[q - 1] > u; q--) keys[q] = keys[q - 1];
          keys[q] = u;
        }
        prefix = keys[kk];
        break;
      }
    }
  }
  float kth;
  memcpy(&kth, &prefix, sizeof kth);
  if (below && k > 0) {
    /* k values lie below the k-th: when fewer are strictly smaller, a copy of
       the k-th itself is the (k-1)-th; else the largest strictly smaller one */
    size_t n_less = 0;
    uint32_t best = 0;
    for (size_t i = 0; i < n; i++) {
      uint32_t u = f2u(x[i]);
      int lt = u < prefix;
      n_less += (size_t)lt;
      uint32_t cand = lt ? u : 0;
      best = cand > best ? cand : best;
    }
    if (n_less < k) best = prefix;
    memcpy(below, &best, sizeof *below);
  }
  return kth;
}

/* Total-order key of a float's bits: negative values reversed below the
 * positive ones (-0 just below +0), as unsigned integers. */
static uint32_t f2key(uint32_t u) { return u ^ ((uint32_t)((int32_t)u >> 31) | 0x80000000u); }
static uint32_t key2u(uint32_t k) { return k & 0x80000000u ? k & 0x7fffffffu : ~k; }
static uint32_t is_finite_u(uint32_t u) { return (u & 0x7f800000u) != 0x7f800000u; }

size_t gb_count_finite_f(const float *x, size_t n)
{
  size_t m = 0;
  for (size_t i = 0; i < n; i++) m += is_finite_u(f2u(x[i]));
  return m;
}

void gb_kth_finite_f(const float *x, size_t n, size_t k, float *kth, float *next)
{
  uint32_t prefix = 0, mask = 0;
  size_t kk = k;
  for (int shift = 24; shift >= 0; shift -= 8) {
    uint32_t cnt[256] = {0};
    for (size_t i = 0; i < n; i++) {
      uint32_t u = f2u(x[i]), key = f2key(u);
      cnt[(key >> shift) & 255u] += is_finite_u(u) & ((key & mask) == prefix);
    }
    uint32_t b = 0;
    size_t acc = 0;
    while (b < 255u && acc + cnt[b] <= kk) acc += cnt[b++];
    kk -= acc;
    prefix |= b << shift;
    mask |= 255u << shift;
  }
  /* the (k+1)-th: the k-th again when more than k + 1 keys are <= it, else
     the smallest key above it (none: the k-th) */
  size_t n_le = 0;
  uint32_t above = UINT32_MAX;
  for (size_t i = 0; i < n; i++) {
    uint32_t u = f2u(x[i]), key = f2key(u), fin = is_finite_u(u);
    n_le += fin & (key <= prefix);
    uint32_t cand = fin && key > prefix ? key : UINT32_MAX;
    above = cand < above ? cand : above;
  }
  uint32_t nk = n_le > k + 1 || above == UINT32_MAX ? prefix : above;
  uint32_t ku = key2u(prefix), nu = key2u(nk);
  memcpy(kth, &ku, sizeof *kth);
  memcpy(next, &nu, sizeof *next);
}
