#include "dsp/spectrum.h"

#include <math.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

void gb_hann(float *w, size_t n)
{
  if (n == 1) {
    w[0] = 1.0f;
    return;
  }
  for (size_t i = 0; i < n; i++) w[i] = (float)(0.5 - 0.5 * cos(2.0 * M_PI * (double)i / (double)(n - 1)));
}

size_t gb_next_pow2(size_t n)
{
  size_t p = 1;
  while (p < n) p <<= 1;
  return p;
}

double gb_peak_interp_log(const float *p, size_t n, size_t k)
{
  if (k == 0 || k + 1 >= n) return (double)k;
  double a = p[k - 1], b = p[k], c = p[k + 1];
  if (!(a > 0 && b > 0 && c > 0) || b < a || b < c) return (double)k;
  double la = log(a), lb = log(b), lc = log(c);
  double den = la - 2.0 * lb + lc;
  if (!(den < 0)) return (double)k;
  double d = 0.5 * (la - lc) / den;
  if (d > 0.5) d = 0.5;
  if (d < -0.5) d = -0.5;
  return (double)k + d;
}

size_t gb_argmax(const float *p, size_t n, size_t lo, size_t hi)
{
  if (n == 0) return 0;
  if (lo >= n) return n - 1;
  if (hi >= n) hi = n - 1;
  size_t best = lo;
  for (size_t i = lo; i <= hi && i < n; i++)
    if (p[i] > p[best]) best = i;
  return best;
}
