/* One-to-one matching of detected to true event times, and order statistics. */
#include <math.h>
#include <stdlib.h>

#include "eval/eval_internal.h"

typedef struct cand {
  double adt;
  long ti, di;
} cand;

typedef struct idx_time {
  double t;
  long i;
} idx_time;

static int cmp_cand(const void *a, const void *b)
{
  const cand *x = a, *y = b;
  if (x->adt != y->adt) return x->adt < y->adt ? -1 : 1;
  if (x->ti != y->ti) return x->ti < y->ti ? -1 : 1;
  return (x->di > y->di) - (x->di < y->di);
}

static int cmp_it(const void *a, const void *b)
{
  const idx_time *x = a, *y = b;
  if (x->t != y->t) return x->t < y->t ? -1 : 1;
  return (x->i > y->i) - (x->i < y->i);
}

long gb_eval_match(const double *truth, size_t nt, const double *det, size_t nd, double tol,
                   long *match_t, long *match_d)
{
  for (size_t i = 0; i < nt; i++) match_t[i] = -1;
  for (size_t j = 0; j < nd; j++) match_d[j] = -1;
  if (nt == 0 || nd == 0) return 0;
  /* Sort both by time so that candidate pairs come from a sliding window: the
   * number of candidates stays proportional to the step count. */
  idx_time *ts = malloc(nt * sizeof *ts), *ds = malloc(nd * sizeof *ds);
  size_t cap = nt + nd, nc = 0;
  cand *c = malloc(cap * sizeof *c);
  long pairs = -1;
  if (!ts || !ds || !c) goto out;
  size_t ntv = 0;
  for (size_t i = 0; i < nt; i++)
    if (!isnan(truth[i])) ts[ntv++] = (idx_time){truth[i], (long)i};
  size_t ndv = 0;
  for (size_t j = 0; j < nd; j++)
    if (!isnan(det[j])) ds[ndv++] = (idx_time){det[j], (long)j};
  qsort(ts, ntv, sizeof *ts, cmp_it);
  qsort(ds, ndv, sizeof *ds, cmp_it);
  size_t lo = 0;
  for (size_t i = 0; i < ntv; i++) {
    while (lo < ndv && ds[lo].t < ts[i].t - tol - GB_EVAL_TIME_EPS_S) lo++;
    for (size_t j = lo; j < ndv && ds[j].t <= ts[i].t + tol + GB_EVAL_TIME_EPS_S; j++) {
      double adt = fabs(ds[j].t - ts[i].t);
      if (adt > tol + GB_EVAL_TIME_EPS_S) continue;
      if (nc == cap) {
        cap *= 2;
        cand *nc2 = realloc(c, cap * sizeof *c);
        if (!nc2) goto out;
        c = nc2;
      }
      c[nc++] = (cand){adt, ts[i].i, ds[j].i};
    }
  }
  qsort(c, nc, sizeof *c, cmp_cand);
  pairs = 0;
  for (size_t k = 0; k < nc; k++) {
    if (match_t[c[k].ti] >= 0 || match_d[c[k].di] >= 0) continue;
    match_t[c[k].ti] = c[k].di;
    match_d[c[k].di] = c[k].ti;
    pairs++;
  }
out:
  free(ts);
  free(ds);
  free(c);
  return pairs;
}

double gb_eval_quantile_sorted(const double *x, size_t n, double q)
{
  if (n == 0) return NAN;
  double pos = (double)(n - 1) * q;
  size_t i = (size_t)floor(pos);
  if (i + 1 >= n) return x[n - 1];
  double f = pos - (double)i;
  return x[i] + f * (x[i + 1] - x[i]);
}
