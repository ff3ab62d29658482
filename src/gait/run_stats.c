/* Internal: deterministic statistics over the run tables (see run_stats.h). */
#include "gait/run_stats.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>

#include "util/select.h"

/* Short inputs (the sliding windows of the events stage take ~10^5 medians of a
 * few seconds of steps) are copied to the caller's stack buffer of this many
 * floats instead of the heap. */
#define GB_RS_STACK_N 64

/* Copy of the finite values into stack (n <= GB_RS_STACK_N) or the heap; *m =
 * count. NULL when none or no memory. Release with finite_free. */
static float *finite_copy(const float *x, size_t n, size_t *m, float *stack)
{
  *m = 0;
  float *c = n <= GB_RS_STACK_N ? stack : malloc((n ? n : 1) * sizeof(float));
  if (!c) return NULL;
  for (size_t i = 0; i < n; i++)
    if (isfinite(x[i])) c[(*m)++] = x[i];
  if (*m == 0) {
    if (c != stack) free(c);
    return NULL;
  }
  return c;
}

static void finite_free(float *c, const float *stack)
{
  if (c != stack) free(c);
}

/* From this many values on, the percentile's two order statistics come from a
 * radix select over x itself (no copy, no data-dependent branches): several
 * times faster on a day's step table than copying and partitioning. */
#define GB_RS_RADIX_MIN 2048

float gb_rs_percentile(const float *x, size_t n, double p)
{
  if (n >= GB_RS_RADIX_MIN) {
    size_t mf = gb_count_finite_f(x, n);
    if (mf == 0) return NAN;
    double pc = p < 0 ? 0 : p > 1 ? 1 : p;
    double h = (double)(mf - 1) * pc;
    size_t lo = (size_t)floor(h);
    float c_lo, c_hi;
    gb_kth_finite_f(x, n, lo, &c_lo, &c_hi);
    /* the same two values as the selection below (a zero may differ in sign
       there: that case takes the selection) */
    if (c_lo != 0 && c_hi != 0) return (float)(c_lo + (h - (double)lo) * ((double)c_hi - c_lo));
  }
  size_t m;
  float stack[GB_RS_STACK_N];
  float *c = finite_copy(x, n, &m, stack);
  if (!c) return NAN;
  if (p < 0) p = 0;
  if (p > 1) p = 1;
  double h = (double)(m - 1) * p;
  size_t lo = (size_t)floor(h);
  /* order statistics lo and lo + 1 (the smallest value after the selected one) */
  gb_select_f(c, m, lo);
  float c_lo = c[lo], c_hi = c_lo;
  if (lo + 1 < m) {
    c_hi = c[lo + 1];
    for (size_t i = lo + 2; i < m; i++)
      if (c[i] < c_hi) c_hi = c[i];
  }
  double v = c_lo + (h - (double)lo) * ((double)c_hi - c_lo);
  finite_free(c, stack);
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

void gb_rs_paced_fill(const gb_result *r, double running_min_spm, unsigned char *paced)
{
  size_t k = 0; /* first cadence row at or after the step (steps and rows in time order) */
  for (size_t i = 0; i < r->n_steps; i++) {
    const gb_step *s = &r->steps[i];
    if (s->bout_kind != GB_BOUT_RUNNING || r->n_cadence == 0) {
      paced[i] = s->bout_kind == GB_BOUT_RUNNING;
      continue;
    }
    double t = s->t_s;
    while (k < r->n_cadence && r->cadence[k].t_s < t) k++;
    size_t j = k;
    if (j == r->n_cadence || (j > 0 && t - r->cadence[j - 1].t_s < r->cadence[j].t_s - t)) j--;
    paced[i] = r->cadence[j].cadence_spm >= running_min_spm;
  }
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
  float stack[GB_RS_STACK_N];
  float *iv = i1 - i0 <= GB_RS_STACK_N ? stack : malloc((i1 - i0) * sizeof(float));
  if (!iv) return NAN;
  for (size_t i = i0 + 1; i < i1; i++) {
    double d = s[i].t_s - s[i - 1].t_s;
    if (d > 0 && d < max_gap_s) iv[m++] = (float)d;
  }
  float med = m >= 1 ? gb_rs_median(iv, m) : NAN;
  if (iv != stack) free(iv);
  return isfinite(med) && med > 0 ? (float)(60.0 * mult / med) : NAN;
}

/* Is interval k (steps k-1 -> k) a plain single step, i.e. within
 * GB_RS_ASYM_IV_TOL of its neighbours' median? A missed contact doubles one
 * interval, a false one splits one: either breaks the left/right alternation. */
#define GB_RS_ASYM_IV_TOL 0.25
#define GB_RS_ASYM_MAX_IV_S 1.0 /* slower than any running step */
#define GB_RS_ASYM_MIN_TRIPLETS 20

static int step_ok(const gb_step *s, double t0, double t1)
{
  return s->bout_kind == GB_BOUT_RUNNING && s->t_s >= t0 && s->t_s <= t1 && isfinite(s->peak_g);
}

float gb_rs_asymmetry_pct(const gb_result *r, const gb_analyzer_input *in, double t0, double t1)
{
  /* midline sensors only: a unilateral one sees one foot, and a wrist's peaks
     alternate with the arm swing (the arm is forward at one foot's contact and back
     at the other's), which is no gait asymmetry */
  if (in->location != GB_LOC_SACRUM && in->location != GB_LOC_TRUNK) return NAN;
  const gb_step *s = r->steps;
  const size_t n = r->n_steps;
  double m1 = 0, m2 = 0, mu = 0;
  size_t nt = 0;
  /* Triplets of consecutive running steps (i, i+1, i+2) whose intervals, and the
     ones either side, are one step each: i and i+2 then land on the same foot,
     i+1 on the other. */
  /* step_ok of steps i, i + 1, i + 2, each evaluated once and rolled along */
  int ok0 = n > 4 && step_ok(&s[1], t0, t1), ok1 = n > 4 && step_ok(&s[2], t0, t1);
  for (size_t i = 1; i + 3 < n; i++) {
    const int ok2 = step_ok(&s[i + 2], t0, t1), all = ok0 && ok1 && ok2;
    ok0 = ok1;
    ok1 = ok2;
    if (!all) continue;
    double d[4];
    int ok = 1;
    for (int k = 0; k < 4 && ok; k++) {
      d[k] = s[i + (size_t)k].t_s - s[i + (size_t)k - 1].t_s;
      ok = d[k] > 0 && d[k] < GB_RS_ASYM_MAX_IV_S;
    }
    if (!ok) continue;
    /* median of the four: the middle two are the larger of the pairs' minima
       and the smaller of their maxima (a sum commutes exactly; all d > 0) */
    double lo_a = d[0] < d[1] ? d[0] : d[1], hi_a = d[0] < d[1] ? d[1] : d[0];
    double lo_b = d[2] < d[3] ? d[2] : d[3], hi_b = d[2] < d[3] ? d[3] : d[2];
    double mid_lo = lo_a < lo_b ? lo_b : lo_a, mid_hi = hi_a < hi_b ? hi_a : hi_b;
    double med = 0.5 * (mid_lo + mid_hi);
    for (int k = 0; k < 4 && ok; k++) ok = fabs(d[k] - med) <= GB_RS_ASYM_IV_TOL * med;
    if (!ok) continue;
    double x0 = s[i].peak_g, x1 = s[i + 1].peak_g, x2 = s[i + 2].peak_g;
    m1 += 0.5 * ((x1 - x0) * (x1 - x0) + (x2 - x1) * (x2 - x1));
    m2 += (x2 - x0) * (x2 - x0);
    mu += (x0 + x1 + x2) / 3.0;
    nt++;
  }
  if (nt < GB_RS_ASYM_MIN_TRIPLETS) return NAN;
  m1 /= (double)nt;
  m2 /= (double)nt;
  mu /= (double)nt;
  if (!(mu > 0)) return NAN;
  /* x = m ± d + e: E[(x_{i+1} − x_i)²] = 4d² + 2σ², E[(x_{i+2} − x_i)²] = 2σ² */
  double d2 = fmax(0.0, (m1 - m2) / 4.0);
  return (float)(100.0 * 2.0 * sqrt(d2) / mu);
}
