#include "gait/cadence.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dsp/fft_plan.h"
#include "dsp/spectrum.h"
#include "gaitbatch/status.h"

/* Zero padding: at least 8× the window (and >= 2048 points) so that the fine grid
 * is well inside the Hann main lobe and log-parabolic interpolation is unbiased to
 * well under 0.1 spm (Gasior & Gonzalez 2004). */
#define GB_PAD_FACTOR 8
#define GB_MIN_NFFT 2048
/* Harmonics of the fundamental used by the comb, weights 1/k (gait spectra decay
 * with frequency; a pure tone then wins at its own frequency). */
#define GB_COMB_K 4
/* Comb teeth and the confidence band stop at 10 Hz: gait energy of the vertical
 * trunk/shank signal below the impact band (active band 4–8 Hz, DESIGN §5). */
#define GB_COMB_FMAX_HZ 10.0
/* Energy at odd multiples of F0/2 above this share of the comb's energy means the
 * signal repeats every 2/F0 (left and right steps differ): F0 is then the step
 * rate. 5 % (-13 dB) sits well above what a Hann window leaks to half-way
 * positions of a clean comb (its sidelobes are below -31 dB) and well below the
 * left/right difference a one-leg sensor shows (the other leg's impact reaches it
 * only through the pelvis, strongly attenuated). */
#define GB_SUBHARM_STEP 0.05
/* Mean power at the primitive multiples of F0/m (j F0/m, gcd(j, m) = 1) above
 * this share of the mean power on F0's teeth (-10 dB) means the signal repeats
 * every m/F0 (the comb locked onto an m-th stride harmonic). -10 dB is far above
 * the leakage of a clean comb at those positions. */
#define GB_SUBHARM3 0.1
#define GB_MAX_SUBPERIOD 6
/* Trunk walking (a sacrum/trunk sensor without a flight phase) sees both feet:
 * its vertical acceleration repeats every step, and left/right differences only
 * add weaker odd stride harmonics. The harmonic ratio (sum of the amplitudes of
 * the even stride harmonics over that of the odd ones; Smidt et al. 1971, Menz,
 * Lord & Fitzpatrick 2003, Gait Posture 18:35-46) of the vertical trunk signal
 * is about 3 in healthy adults and stays above 1 in older and impaired walkers.
 * So a fundamental without any half-rate periodicity (sub < GB_SUBHARM_STEP)
 * whose even harmonics outweigh its odd ones (ratio >= 1) is a stride, not a
 * slow step: the comb locked onto the left/right difference. (A real walker's
 * own step line always shows the half-rate line: a ratio of ~3 leaves the odd
 * stride harmonics ~(1/3)^2 = 11 % of the power, above GB_SUBHARM_STEP.) */
#define GB_WALK_HR_STRIDE 1.0
/* A line at F0/2 stronger than this share of the comb's energy is energy of the
 * signal, not leakage of the F0 comb: the highest sidelobe of the Hann window is
 * -31.5 dB (Harris 1978, Proc. IEEE 66:51-83), 10^(-3.15) = 7.1e-4. */
#define GB_SUBHARM_LEAK 7.1e-4
/* Shortest recording that still gets a cadence: 2 s hold two steps even at the
 * slowest cadence of the default band (60 spm), the least a periodicity needs. */
#define GB_MIN_WINDOW_S 2.0

struct gb_cadence {
  gb_analysis_params p;
  int unilateral;
  gb_location loc;
  double fa;
  size_t nw, hop;      /* window and hop in decimated samples */
  float *ring;         /* nw samples */
  size_t n_seen, next_end;
  size_t n_emitted;
  size_t nfft_max;
  const fftwf_plan *plan_max; /* plan for nfft_max, looked up once (no lock per window) */
  float *in;           /* fft input (nfft_max) */
  fftwf_complex *out;  /* nfft_max/2+1 */
  float *pw, *env;     /* power spectrum and its sliding max */
  float *hann;         /* nw */
  float *tmp;          /* nw: window copy */
  float *pad;          /* scratch of sliding_max */
  size_t pad_cap;
  size_t in_tail_n, in_tail_nfft; /* in[in_tail_n .. in_tail_nfft) is zero */
  size_t ring_pos;     /* n_seen % nw, kept by counting */
  /* The comb of a full window reads fixed bins: for fundamental bin b = b_lo + i
   * and harmonic k, comb_between[(k - 1) * comb_n + i] is the envelope bin of
   * (k - 0.5) b df (nb, a bin that always holds 0, where the term is 0), and
   * harmonic k exists (k b df <= fmax) for i < comb_len[k - 1]. Computed once
   * with the expressions of the per-window loop, so the scores are bit for bit
   * the same; the window scores each fundamental over its harmonics in one pass. */
  int32_t *comb_between;
  double *comb_score;
  size_t comb_len[GB_COMB_K];
  size_t comb_b_lo, comb_n;
  /* power spectrum: bins [0, pw_n) of the current window are computed */
  size_t pw_n, pw_nb;
};

int gb_cadence_table_add(gb_cadence_table *t, const gb_cadence_row *row)
{
  if (t->n == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 64;
    gb_cadence_row *r = realloc(t->rows, cap * sizeof *r);
    if (!r) return GB_ENOMEM;
    t->rows = r;
    t->cap = cap;
  }
  t->rows[t->n++] = *row;
  return 0;
}

static size_t nfft_for(size_t n)
{
  size_t m = n * GB_PAD_FACTOR;
  return gb_next_pow2(m < GB_MIN_NFFT ? GB_MIN_NFFT : m);
}

static int comb_prepare(gb_cadence *c);

int gb_cadence_create(const gb_analysis_params *p, gb_location loc, double fa_hz, gb_cadence **out)
{
  *out = NULL;
  gb_cadence *c = calloc(1, sizeof *c);
  if (!c) return GB_ENOMEM;
  c->p = *p;
  c->unilateral = gb_location_is_unilateral(loc);
  c->loc = loc;
  c->fa = fa_hz;
  double nw = floor(p->window_s * fa_hz + 0.5), hop = floor(p->hop_s * fa_hz + 0.5);
  c->nw = nw < 8 ? 8 : (size_t)nw;
  c->hop = hop < 1 ? 1 : (size_t)hop;
  c->next_end = c->nw;
  c->nfft_max = nfft_for(c->nw);
  size_t nb = c->nfft_max / 2 + 1;
  c->ring = malloc(c->nw * sizeof(float));
  c->hann = malloc(c->nw * sizeof(float));
  c->tmp = malloc(c->nw * sizeof(float));
  c->pw = malloc(nb * sizeof(float));
  c->env = calloc(nb + 1, sizeof(float)); /* env[nb] = 0: see comb_between */
  c->in = gb_fft_alloc(c->nfft_max * sizeof(float));
  c->out = gb_fft_alloc(nb * sizeof(fftwf_complex));
  if (!c->ring || !c->hann || !c->tmp || !c->pw || !c->env || !c->in || !c->out) {
    gb_cadence_free(c);
    return GB_ENOMEM;
  }
  gb_hann(c->hann, c->nw);
  int rc = comb_prepare(c);
  if (rc != 0) {
    gb_cadence_free(c);
    return rc;
  }
  if (!(c->plan_max = gb_fft_plan_r2c(c->nfft_max))) {
    gb_cadence_free(c);
    return GB_EFFT;
  }
  *out = c;
  return 0;
}

void gb_cadence_free(gb_cadence *c)
{
  if (!c) return;
  free(c->ring);
  free(c->hann);
  free(c->tmp);
  free(c->pw);
  free(c->env);
  free(c->pad);
  free(c->comb_between);
  free(c->comb_score);
  gb_fft_free(c->in);
  gb_fft_free(c->out);
  free(c);
}

/* ---- one window -------------------------------------------------------------- */

/* Power of bins [pw_n, upto) (upto clamped to the window's bin count): only the
 * bins a reader asks for are computed (the gait band is < 10 Hz of the 25 Hz
 * the analysis rate covers). Same float expression as a full pass. */
static void pw_extend(gb_cadence *c, size_t upto)
{
  if (upto > c->pw_nb) upto = c->pw_nb;
  float *pw = c->pw;
  const fftwf_complex *o = c->out;
  for (size_t k = c->pw_n; k < upto; k++) pw[k] = o[k][0] * o[k][0] + o[k][1] * o[k][1];
  if (upto > c->pw_n) c->pw_n = upto;
}

typedef struct spec {
  gb_cadence *c; /* for pw_extend */
  const float *pw, *env;
  size_t nb;
  double df, fmax;
  double inv_df;
} spec;

/* floor(a / b + 0.5) for a >= 0, b > 0, as an integer: a multiplication by
 * inv_b = 1 / b instead of a division, and the exact division only when the
 * product lands within 1e-9 of a rounding boundary (the two quotients differ by a
 * few ulps, far less than that for the bin indices used here, < 2^20), so the
 * result always equals the division's. */
static inline size_t round_quot(double a, double b, double inv_b)
{
  double y = a * inv_b + 0.5;
  int64_t k = (int64_t)y; /* signed conversions: single instructions on x86-64 */
  double fr = y - (double)k;
  if (fr < 1e-9 || fr > 1.0 - 1e-9) k = (int64_t)(a / b + 0.5);
  return (size_t)k;
}

/* Envelope (max over ± half a coarse bin) at frequency f; 0 outside [0, fmax]. */
static double env_at(const spec *s, double f)
{
  if (f < 0 || f > s->fmax) return 0;
  size_t k = round_quot(f, s->df, s->inv_df);
  return k < s->nb ? s->env[k] : 0;
}

/* The comb table of a full window (see struct gb_cadence): the bin env_at()
 * reads for each "between" term, with the per-window loop's expressions. */
static int comb_prepare(gb_cadence *c)
{
  const size_t nfft = c->nfft_max, nb = nfft / 2 + 1;
  const double df = c->fa / (double)nfft;
  const spec s = {c, c->pw, c->env, nb, df, fmin(GB_COMB_FMAX_HZ, 0.45 * c->fa), 1.0 / df};
  const double f_lo = c->p.cadence_min_spm / 120.0, f_hi = c->p.cadence_max_spm / 60.0;
  const size_t b_lo = (size_t)ceil(f_lo / df), b_hi = (size_t)floor(f_hi / df);
  size_t n = 0;
  for (size_t b = b_lo; b <= b_hi && b < nb; b++) n++;
  c->comb_b_lo = b_lo;
  c->comb_n = n;
  c->comb_between = malloc((n ? n : 1) * GB_COMB_K * sizeof *c->comb_between);
  c->comb_score = malloc((n ? n : 1) * sizeof *c->comb_score);
  if (!c->comb_between || !c->comb_score) return GB_ENOMEM;
  for (int k = 1; k <= GB_COMB_K; k++) {
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
      const size_t b = b_lo + i;
      double f = (double)b * df;
      int32_t idx = (int32_t)nb;
      if (k * f <= s.fmax) {
        /* k f grows with b: harmonic k exists on a prefix of the fundamentals */
        if (len != i) return GB_EINVAL;
        len = i + 1;
        if ((k - 0.5) * f >= 0.5 * f_lo) {
          double fb = (k - 0.5) * f;
          if (!(fb < 0 || fb > s.fmax)) {
            size_t kk = round_quot(fb, s.df, s.inv_df);
            if (kk < nb) idx = (int32_t)kk;
          }
        }
      }
      c->comb_between[(size_t)(k - 1) * n + i] = idx;
    }
    c->comb_len[k - 1] = len;
    if (k > 1 && len > c->comb_len[k - 2]) return GB_EINVAL; /* k f <= fmax implies (k-1) f <= fmax */
  }
  return 0;
}

/* Sub-bin frequency of the largest local peak within ±span bins of f. */
static double refine(const spec *s, double f, size_t span, double *power)
{
  size_t k = (size_t)floor(f / s->df + 0.5);
  size_t lo = k > span ? k - span : 1, hi = k + span;
  pw_extend(s->c, (hi > lo ? hi : lo) + 2); /* argmax over [lo, hi], interpolation at m ± 1 */
  size_t m = gb_argmax(s->pw, s->nb, lo, hi);
  *power = s->pw[m];
  return gb_peak_interp_log(s->pw, s->nb, m) * s->df;
}

/* Sums in four interleaved accumulators, (s0 + s1) + (s2 + s3): four independent
 * dependency chains instead of one, so a window's sums cost the adds' throughput
 * rather than their latency. A fixed order: the same input gives the same bits. */
static double sum_f(const float *x, size_t n)
{
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += x[i];
    s1 += x[i + 1];
    s2 += x[i + 2];
    s3 += x[i + 3];
  }
  for (; i < n; i++) s0 += x[i];
  return (s0 + s1) + (s2 + s3);
}

/* Sum of (x[i] - mu)^2, accumulated as sum_f does. */
static double sum_sq_dev(const float *x, size_t n, double mu)
{
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    double d0 = x[i] - mu, d1 = x[i + 1] - mu, d2 = x[i + 2] - mu, d3 = x[i + 3] - mu;
    s0 += d0 * d0;
    s1 += d1 * d1;
    s2 += d2 * d2;
    s3 += d3 * d3;
  }
  for (; i < n; i++) s0 += (x[i] - mu) * (x[i] - mu);
  return (s0 + s1) + (s2 + s3);
}

static int gcd(int a, int b)
{
  while (b) {
    int t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/* Mean envelope at j f0/m with gcd(j, m) = 1 over mean envelope at k f0. */
static double primitive_ratio(const spec *s, double f0, int m)
{
  double on = 0, off = 0;
  int n_on = 0, n_off = 0;
  for (int j = 1; j <= m * GB_COMB_K && j * f0 / m <= s->fmax; j++) {
    if (j % m == 0) {
      on += env_at(s, j * f0 / m);
      n_on++;
    } else if (gcd(j, m) == 1) {
      off += env_at(s, j * f0 / m);
      n_off++;
    }
  }
  return n_on && n_off && on > 0 ? (off / n_off) / (on / n_on) : 0;
}

/* Index of the first largest of x[0..n) by ">" (NaN never wins), and *best
 * updated to it; (size_t)-1 when none beats the incoming *best. */
static size_t argmax_first(const double *x, size_t n, double *best)
{
  size_t bi = (size_t)-1;
  double b = *best;
  for (size_t i = 0; i < n; i++)
    if (x[i] > b) {
      b = x[i];
      bi = i;
    }
  *best = b;
  return bi;
}

/* Energy half way between the comb's teeth (k - 1/2) f0 over the energy on them
 * k f0, weights 1/k; the in-between positions below half the lowest fundamental
 * searched (f_lo) are left out. 0 when the teeth hold nothing. */
static double subharm_ratio(const spec *s, double f0, double f_lo)
{
  double teeth = 0, sub = 0;
  for (int k = 1; k <= GB_COMB_K && k * f0 <= s->fmax; k++) {
    teeth += env_at(s, k * f0) / k;
    if ((k - 0.5) * f0 >= 0.5 * f_lo) sub += env_at(s, (k - 0.5) * f0) / k;
  }
  return teeth > 0 ? sub / teeth : 0;
}

/* env[k] = max(0, pw[k-half .. k+half] clipped to [0, nb)) for k < n_env, by
 * doubling (a sparse table: windows of 2^j bins from windows of 2^(j-1)), so the
 * cost per bin is log2 of the width instead of the width. Max is exact, so the
 * values equal those of the direct loop; bins outside [0, nb) count as 0, which
 * the direct loop's starting value 0 already implied (pw >= 0). */
static int sliding_max(gb_cadence *c, size_t nb, size_t n_env, size_t half)
{
  const size_t w = 2 * half + 1;
  size_t p = 1;
  while (2 * p <= w) p *= 2;
  const size_t len = n_env + w; /* padded bins -half .. n_env+half */
  if (len > c->pad_cap) { /* two buffers of len: each doubling step reads one, writes the other */
    float *q = realloc(c->pad, 2 * len * sizeof *q);
    if (!q) return GB_ENOMEM;
    c->pad = q;
    c->pad_cap = len;
  }
  float *a = c->pad, *b = c->pad + len; /* a[i] = pw[i - half], 0 outside */
  {
    size_t n_copy = nb < len - half ? nb : len - half;
    memset(a, 0, half * sizeof *a);
    memcpy(a + half, c->pw, n_copy * sizeof *a);
    memset(a + half + n_copy, 0, (len - half - n_copy) * sizeof *a);
  }
  for (size_t q = 1; q < p; q *= 2) { /* a[i] = max over [i, i + 2q) */
    const size_t m = len - q;
    for (size_t i = 0; i < m; i++) b[i] = a[i + q] > a[i] ? a[i + q] : a[i];
    memcpy(b + m, a + m, q * sizeof *b); /* the last q bins keep their value */
    float *t = a;
    a = b;
    b = t;
  }
  /* window [k - half, k + half] = a-indices [k, k + w): two overlapping 2^j runs */
  for (size_t k = 0; k < n_env; k++) {
    float lo = a[k], hi = a[k + w - p];
    float m = hi > lo ? hi : lo;
    c->env[k] = m > 0 ? m : 0.0f;
  }
  return 0;
}

int gb_cadence_window(gb_cadence *c, const float *x, size_t n, gb_cadence_est *e)
{
  memset(e, 0, sizeof *e);
  if (n < 8 || n > c->nw) return GB_EINVAL;
  size_t nfft = nfft_for(n), nb = nfft / 2 + 1;
  const fftwf_plan *plan = nfft == c->nfft_max ? c->plan_max : gb_fft_plan_r2c(nfft);
  if (!plan) return GB_EFFT;

  const double mean = sum_f(x, n) / (double)n, var = sum_sq_dev(x, n, mean);
  e->sd_g = sqrt(var / (double)n);
  if (e->sd_g < c->p.still_sd_g) return 0; /* still: no cadence, no confidence */

  const float *w = c->hann;
  if (n != c->nw) {
    gb_hann(c->tmp, n);
    w = c->tmp;
  }
  for (size_t i = 0; i < n; i++) c->in[i] = (float)((x[i] - mean) * w[i]);
  /* The zero padding stays zero between windows: the r2c plan preserves its
   * input (FFTW's default for real-to-complex plans), so it is written once per
   * window length. */
  if (c->in_tail_n != n || c->in_tail_nfft != nfft) {
    memset(c->in + n, 0, (nfft - n) * sizeof(float));
    c->in_tail_n = n;
    c->in_tail_nfft = nfft;
  }
  gb_fft_r2c(plan, c->in, c->out);
  c->pw_n = 0;
  c->pw_nb = nb;

  double df = c->fa / (double)nfft;
  double pf = (double)nfft / (double)n; /* fine bins per coarse (1/T) bin */
  size_t half = (size_t)(0.5 * pf + 0.5);
  if (half < 1) half = 1;
  spec s = {c, c->pw, c->env, nb, df, fmin(GB_COMB_FMAX_HZ, 0.45 * c->fa), 1.0 / df};
  /* The envelope is read only through env_at, i.e. at bins <= fmax/df + 0.5:
   * computing it there alone gives the same values for a fraction of the cost. */
  size_t n_env = (size_t)floor(s.fmax / df + 0.5) + 1;
  if (n_env > nb) n_env = nb;
  pw_extend(c, n_env + half + 1); /* sliding_max reads bins < n_env + half + 1 */
  if (sliding_max(c, nb, n_env, half) != 0) return GB_ENOMEM;

  /* 1. fundamental periodicity: harmonic comb minus the energy between teeth */
  double f_lo = c->p.cadence_min_spm / 120.0, f_hi = c->p.cadence_max_spm / 60.0;
  size_t b_lo = (size_t)ceil(f_lo / df), b_hi = (size_t)floor(f_hi / df);
  double best = -INFINITY, f0 = 0;
  if (nfft == c->nfft_max) { /* full window: the comb's bins come from the table */
    /* Each fundamental's score adds its harmonics in the order k = 1..4
     * (harmonic k on the prefix i < comb_len[k - 1]; comb_prepare checked that
     * the lengths do not grow with k), one branch-free pass per group of
     * fundamentals with the same number of harmonics. */
    const float *env = s.env;
    double *score = c->comb_score;
    const size_t cn = c->comb_n, b0 = c->comb_b_lo;
    const size_t l1 = c->comb_len[0], l2 = c->comb_len[1], l3 = c->comb_len[2], l4 = c->comb_len[3];
    const int32_t *bt1 = c->comb_between, *bt2 = bt1 + cn, *bt3 = bt2 + cn, *bt4 = bt3 + cn;
    size_t i;
#define GB_COMB_T1 ((double)env[b0 + i] - (double)env[bt1[i]]) /* x * 1 == x */
#define GB_COMB_T2 ((double)env[2 * (b0 + i)] - (double)env[bt2[i]]) * 0.5 /* == x / 2 */
#define GB_COMB_T3 ((double)env[3 * (b0 + i)] - (double)env[bt3[i]]) / 3
#define GB_COMB_T4 ((double)env[4 * (b0 + i)] - (double)env[bt4[i]]) * 0.25 /* == x / 4 */
    for (i = 0; i < l4; i++) score[i] = (((0.0 + GB_COMB_T1) + GB_COMB_T2) + GB_COMB_T3) + GB_COMB_T4;
    for (; i < l3; i++) score[i] = ((0.0 + GB_COMB_T1) + GB_COMB_T2) + GB_COMB_T3;
    for (; i < l2; i++) score[i] = (0.0 + GB_COMB_T1) + GB_COMB_T2;
    for (; i < l1; i++) score[i] = 0.0 + GB_COMB_T1;
    for (; i < cn; i++) score[i] = 0.0;
#undef GB_COMB_T1
#undef GB_COMB_T2
#undef GB_COMB_T3
#undef GB_COMB_T4
    size_t bi = argmax_first(score, cn, &best);
    if (bi != (size_t)-1) f0 = (double)(b0 + bi) * df;
  } else
  for (size_t b = b_lo; b <= b_hi && b < nb; b++) {
    double f = (double)b * df, score = 0;
    for (int k = 1; k <= GB_COMB_K && k * f <= s.fmax; k++) {
      double between = (k - 0.5) * f >= 0.5 * f_lo ? env_at(&s, (k - 0.5) * f) : 0;
      /* env_at(k f) reads bin round((k b df) / df) = k b: the quotient is within
       * a few ulps of the integer k b, far from a rounding boundary (and k f <=
       * fmax holds by the loop condition), so the bin is read directly. */
      score += (s.env[(size_t)k * b] - between) / k;
    }
    if (score > best) {
      best = score;
      f0 = f;
    }
  }
  if (f0 <= 0) return 0;
  double p_f0;
  double f0r = refine(&s, f0, (size_t)ceil(pf), &p_f0);

  /* 1b. a period m = 3..6 times longer: the comb caught the m-th harmonic of the
   * stride (a foot sensor in walking puts most of its energy in the 3rd-4th
   * stride harmonic, from heel strike and toe-off). Only for sensors that may see
   * one leg: a trunk spectrum is dominated by its step fundamental. */
  int reduced = 0;
  if (c->unilateral || c->loc == GB_LOC_UNKNOWN) {
    int best_m = 0;
    for (int m = 3; m <= GB_MAX_SUBPERIOD; m++) {
      double cad = 120.0 * f0r / m;
      if (f0r / m < f_lo || cad < c->p.cadence_min_spm || cad > c->p.cadence_max_spm) continue;
      if (primitive_ratio(&s, f0r, m) >= GB_SUBHARM3) best_m = m;
    }
    if (best_m) {
      f0r = refine(&s, f0r / best_m, (size_t)ceil(pf), &p_f0);
      reduced = 1; /* a period of several harmonics is a stride, never a step */
    }
  }
  e->fundamental_hz = f0r;

  /* 2. is there a periodicity at F0/2 (left and right steps differ)? */
  e->subharm_ratio = subharm_ratio(&s, f0r, f_lo);

  /* 3. step or stride? */
  const int trunk_walk = (c->loc == GB_LOC_SACRUM || c->loc == GB_LOC_TRUNK) && e->sd_g < GB_RUN_SD_G;
  if (trunk_walk && !reduced && e->subharm_ratio >= GB_SUBHARM_LEAK &&
      60.0 * f0r > c->p.running_min_spm && 30.0 * f0r >= c->p.cadence_min_spm) {
    /* Without a flight phase the trunk's step rate is a walking one (at most
     * running_min_spm, the walk/run boundary of the bout classifier): a faster F0
     * with a line at F0/2 is the step's second harmonic (a loading and push-off
     * double bump per step can make it outweigh the fundamental), and the line at
     * F0/2, however weak, is the step. */
    double p_half;
    f0r = refine(&s, 0.5 * f0r, (size_t)ceil(pf), &p_half);
    p_f0 = p_half;
    e->fundamental_hz = f0r;
    e->subharm_ratio = subharm_ratio(&s, f0r, f_lo);
  }
  double ca = 60.0 * f0r, cb = 120.0 * f0r;
  int in_a = ca >= c->p.cadence_min_spm && ca <= c->p.cadence_max_spm;
  int in_b = cb >= c->p.cadence_min_spm && cb <= c->p.cadence_max_spm;
  int stride;
  if (!in_a && !in_b) return 0;
  if (!in_b) stride = 0;
  else if (!in_a) stride = 1;
  else if (reduced) stride = 1;
  else if (e->subharm_ratio >= GB_SUBHARM_STEP) stride = 0;
  else if (c->unilateral) stride = 1;
  else if (trunk_walk && cb <= c->p.running_min_spm) {
    /* harmonic ratio of F0 taken as the stride: amplitudes of its even over its odd harmonics */
    double even = 0, odd = 0;
    for (int k = 1; k <= GB_COMB_K && k * f0r <= s.fmax; k++) {
      double a = sqrt(env_at(&s, k * f0r));
      if (k % 2 == 0) even += a;
      else odd += a;
    }
    stride = even >= GB_WALK_HR_STRIDE * odd;
  } else
    stride = e->sd_g >= GB_RUN_SD_G && ca < c->p.running_min_spm && cb >= c->p.running_min_spm &&
             env_at(&s, 2 * f0r) >= 0.5 * env_at(&s, f0r);
  e->stride = stride;

  /* 4. the step-rate peak, interpolated */
  double fc = f0r;
  if (stride) {
    double p2;
    double f2 = refine(&s, 2 * f0r, (size_t)ceil(pf), &p2);
    fc = p2 >= 0.1 * p_f0 ? f2 : 2 * f0r;
  }

  /* 5. confidence: share of the band's power on the stride-harmonic comb,
   * corrected for the share the comb would catch from white noise */
  double fs = fc / 2;
  size_t k_lo = (size_t)floor(0.8 * f_lo / df), k_hi = (size_t)floor(s.fmax / df);
  if (k_hi >= nb) k_hi = nb - 1;
  double hw = fmin(1.5 * pf, 0.25 * fs / df);
  double p_all = 0, p_comb = 0;
  size_t n_all = 0, n_comb = 0;
  if (k_lo <= k_hi) {
    /* A bin is on the comb when it lies within hw bins of a tooth m fs, m >= 1.
     * hw df <= fs / 4, so that tooth is the nearest one, round(f / fs): the same
     * test as a scan of every bin, made only on the few bins around each tooth,
     * which are visited in increasing order (the sums are the scan's). */
    n_all = k_hi - k_lo + 1;
    pw_extend(c, k_hi + 1);
    p_all = sum_f(c->pw + k_lo, k_hi - k_lo + 1);
    const double tol = hw * df;
    for (size_t m = 1;; m++) {
      const double centre = (double)m * fs;
      const double lo_b = (centre - tol) / df, hi_b = (centre + tol) / df;
      if (!(lo_b <= (double)k_hi + 1.0)) break;
      size_t ka = lo_b > 1.0 ? (size_t)lo_b - 1 : 0, kb = (size_t)(hi_b > 0 ? hi_b : 0) + 1;
      if (ka < k_lo) ka = k_lo;
      if (kb > k_hi) kb = k_hi;
      /* k df - centre is monotone in k (rounding is monotone), so the bins
       * within tol of the tooth form one run: find its ends with the scan's
       * test, then add the run in increasing order as the scan did. */
      while (ka <= kb && !(fabs((double)ka * df - centre) <= tol)) ka++;
      while (kb >= ka && kb > 0 && !(fabs((double)kb * df - centre) <= tol)) kb--;
      if (ka <= kb && fabs((double)kb * df - centre) <= tol) {
        for (size_t k = ka; k <= kb; k++) p_comb += c->pw[k];
        n_comb += kb - ka + 1;
      }
    }
  }
  double share = p_all > 0 ? p_comb / p_all : 0, chance = n_all ? (double)n_comb / n_all : 1;
  double conf = chance < 1 ? (share - chance) / (1 - chance) : 0;
  e->confidence = conf < 0 ? 0 : conf > 1 ? 1 : conf;
  e->spm = e->confidence >= c->p.min_confidence ? 60.0 * fc : 0;
  return 0;
}

/* ---- streaming ------------------------------------------------------------------ */

static int emit(gb_cadence *c, size_t n, double t_centre, gb_cadence_table *t)
{
  /* oldest sample first: the ring holds the last min(n_seen, nw) samples */
  size_t start = c->n_seen >= c->nw ? c->ring_pos : 0; /* ring_pos = n_seen % nw */
  float *buf = c->tmp;
  size_t first = c->nw - start < n ? c->nw - start : n; /* up to the ring's end, then wrap */
  memcpy(buf, c->ring + start, first * sizeof(float));
  if (n > first) memcpy(buf + first, c->ring, (n - first) * sizeof(float));
  /* a short (end-of-stream) window needs tmp for its own Hann taper: copy out */
  gb_cadence_est e;
  int rc;
  if (n == c->nw) {
    rc = gb_cadence_window(c, buf, n, &e);
  } else {
    float *copy = malloc(n * sizeof(float));
    if (!copy) return GB_ENOMEM;
    memcpy(copy, buf, n * sizeof(float));
    rc = gb_cadence_window(c, copy, n, &e);
    free(copy);
  }
  if (rc) return rc;
  gb_cadence_row row = {t_centre, (float)e.spm, (float)e.confidence};
  c->n_emitted++;
  return gb_cadence_table_add(t, &row);
}

int gb_cadence_push(gb_cadence *c, const float *x, size_t n, gb_cadence_table *t)
{
  for (size_t i = 0; i < n; i++) {
    c->ring[c->ring_pos] = x[i];
    if (++c->ring_pos == c->nw) c->ring_pos = 0;
    c->n_seen++;
    if (c->n_seen == c->next_end) {
      double t_centre = ((double)(c->next_end - c->nw) + 0.5 * (double)c->nw) / c->fa;
      int rc = emit(c, c->nw, t_centre, t);
      if (rc) return rc;
      c->next_end += c->hop;
    }
  }
  return 0;
}

int gb_cadence_finish(gb_cadence *c, gb_cadence_table *t)
{
  if (c->n_emitted > 0 || (double)c->n_seen < GB_MIN_WINDOW_S * c->fa) return 0;
  return emit(c, c->n_seen, 0.5 * (double)c->n_seen / c->fa, t);
}
