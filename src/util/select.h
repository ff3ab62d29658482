/* Internal: order statistics by selection (no full sort), for floats and doubles.
 * Used wherever a median or percentile of a run table is taken: a 24 h run has
 * ~250 000 steps, and its finish stage takes dozens of medians. */
#ifndef GB_UTIL_SELECT_H
#define GB_UTIL_SELECT_H
#include <stddef.h>

/* Rearranges v[0..n) so that v[k] is the value a full ascending sort puts at k,
 * with nothing greater before it and nothing smaller after it. Values must be
 * comparable (no NaN). O(n) on average; O(n log n) at worst. */
void gb_select_f(float *v, size_t n, size_t k);
void gb_select_d(double *v, size_t n, size_t k);

/* The k-th smallest of x[0..n) (k < n) for values >= +0 (no NaN, no -0), without
 * reordering x: a radix select on the IEEE bit patterns, which for such floats
 * order as unsigned integers. Four counting passes over 8 bits each, no data-
 * dependent branches: several times faster than a partitioning select on noisy
 * data, whose comparisons the branch predictor cannot guess. *below receives the
 * (k-1)-th smallest when k > 0 (for the median of an even count). */
float gb_kth_nonneg_f(const float *x, size_t n, size_t k, float *below);

/* Number of finite values in x[0..n). */
size_t gb_count_finite_f(const float *x, size_t n);
/* The k-th and (k+1)-th smallest of the finite values of x[0..n) (k < their
 * count; *next = the k-th when k is the last) without reordering or copying x:
 * a radix select on the bits mapped to a total order (negatives reversed below
 * the positives), four counting passes and one more for *next. Equal to a
 * comparison select's values except that -0 sorts below +0 (callers that must
 * match one bit for bit recheck a zero result). */
void gb_kth_finite_f(const float *x, size_t n, size_t k, float *kth, float *next);

/* Median of v[0..n) (mean of the two middle values for an even n), reordering v;
 * NaN when n is 0. Equal to the median of a sorted copy, bit for bit. */
double gb_median_d_inplace(double *v, size_t n);
/* The same in float arithmetic: 0.5f * (a + b) for an even n. */
float gb_median_f_inplace(float *v, size_t n);
#endif
