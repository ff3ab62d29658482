/* Internal: deterministic statistics over the run tables (see run_stats.h). */
#include "gait/run_stats.h"

#include <math.h>
#include <stdlib.h>

static int cmp_f(const void *a, const void *b)
{
  float x = *(const float *)a, y = *(const float *)b;
  return (x > y) - (x < y);
}

/* Sorted copy of the finite values; *m = count. NULL when none or no memory. */
static float *sorted_finite(const float *x, size_t n, size_t *m)
{
  *m = 0;
  float *c = malloc((n ? n : 1) * sizeof(float));
  if (!c) return NULL;
  for (size_t i = 0; i < n; i++)
    if (isfinite(x[i])) c[(*m)++] = x[i];
  if (*m == 0) { free(c); return NULL; }
  qsort(c, *m, sizeof(float), cmp_f);
  return c;
}

float gb_rs_percentile(const float *x, size_t n, double p)
{
  size_t m;
  float *c = sorted_finite(x, n, &m);
  if (!c) return NAN;
  if (p < 0) p = 0;
  if (p > 1) p = 1;
  double h = (double)(m - 1) * p;
  size_t lo = (size_t)floor(h);
  size_t hi = lo + 1 < m ? lo + 1 : lo;
  double v = c[lo] + (h - (double)lo) * ((double)c[hi] - c[lo]);
  free(c);
  return (float)v;
}

float gb_rs_median(const float *x, size_t n) { return gb_rs_percentile(x, n, 0.5); }

void gb_rs_mean_sd(const float *x, size_t n, double *mean, double *sd)
{
  double s = 0, ss = 0;
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (isfinite(x[i])) { s += x[i]; m++; }
  if (m == 0) { *mean = *sd = NAN; return; }
  double mu = s / (double)m;
  for (size_t i = 0; i < n; i++)
    if (isfinite(x[i])) ss += (x[i] - mu) * (x[i] - mu);
  *mean = mu;
  *sd = m > 1 ? sqrt(ss / (double)(m - 1)) : NAN;
}

int gb_rs_bout_kind_at(const gb_result *r, double t)
{
  size_t lo = 0, hi = r->n_bouts;
  while (lo < hi) { /* first bout ending after t */
    size_t mid = lo + (hi - lo) / 2;
    if (r->bouts[mid].t_end_s <= t) lo = mid + 1; else hi = mid;
  }
  if (lo < r->n_bouts && r->bouts[lo].t_start_s <= t) return r->bouts[lo].kind;
  return GB_BOUT_OTHER;
}

double gb_rs_bout_time(const gb_result *r, int kind)
{
  double s = 0;
  for (size_t i = 0; i < r->n_bouts; i++)
    if (r->bouts[i].kind == kind) s += r->bouts[i].t_end_s - r->bouts[i].t_start_s;
  return s;
}

int gb_rs_steps_per_contact(const gb_analyzer_input *in)
{
  return gb_location_is_unilateral(in->location) ? 2 : 1;
}

float gb_rs_step_cadence(const gb_step *s, size_t i0, size_t i1, double max_gap_s, int mult)
{
  if (i1 < i0 + 2) return NAN;
  size_t m = 0;
  float *iv = malloc((i1 - i0) * sizeof(float));
  if (!iv) return NAN;
  for (size_t i = i0 + 1; i < i1; i++) {
    double d = s[i].t_s - s[i - 1].t_s;
    if (d > 0 && d < max_gap_s) iv[m++] = (float)d;
  }
  float med = m >= 1 ? gb_rs_median(iv, m) : NAN;
  free(iv);
  return isfinite(med) && med > 0 ? (float)(60.0 * mult / med) : NAN;
}

float gb_rs_asymmetry_pct(const gb_result *r, const gb_analyzer_input *in, double t0, double t1)
{
  if (gb_location_is_unilateral(in->location)) return NAN;
  double wsum = 0, asum = 0;
  size_t i = 0;
  const gb_step *s = r->steps;
  while (i < r->n_steps) {
    /* a run of continuous running steps */
    if (s[i].bout_kind != GB_BOUT_RUNNING || s[i].t_s < t0 || s[i].t_s > t1 || !isfinite(s[i].peak_g)) {
      i++;
      continue;
    }
    size_t j = i + 1;
    while (j < r->n_steps && s[j].bout_kind == GB_BOUT_RUNNING && s[j].t_s <= t1 &&
           isfinite(s[j].peak_g) && s[j].t_s - s[j - 1].t_s < 1.0) /* 1 s: slower than any running step */
      j++;
    size_t n = j - i;
    if (n >= 10) {
      double se = 0, so = 0;
      size_t ne = 0, no = 0;
      for (size_t k = i; k < j; k++) {
        if ((k - i) % 2 == 0) { se += s[k].peak_g; ne++; } else { so += s[k].peak_g; no++; }
      }
      double me = se / (double)ne, mo = so / (double)no, mu = (se + so) / (double)n;
      if (mu > 0) {
        asum += (double)n * fabs(me - mo) / mu * 100.0;
        wsum += (double)n;
      }
    }
    i = j;
  }
  return wsum > 0 ? (float)(asum / wsum) : NAN;
}
