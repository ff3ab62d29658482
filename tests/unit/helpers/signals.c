/* Test helper: synthetic running signals with ground truth (see signals.h). */
#include "helpers/signals.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define G0 9.80665

double gbt_rand01(uint64_t *s)
{
  uint64_t x = *s ? *s : 0x9E3779B97F4A7C15ull;
  x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
  *s = x;
  return ((double)((x * 0x2545F4914F6CDD1Dull) >> 11) + 0.5) / 9007199254740992.0;
}

double gbt_randn(uint64_t *s)
{
  double u1 = gbt_rand01(s), u2 = gbt_rand01(s);
  return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

/* Analytic vertical excursion of the half-sine spring-mass step (cm). */
static double vo_analytic(double T, double tc)
{
  double tf = T - tc, A = M_PI * T / (2.0 * tc);
  double v0 = G0 * tf / 2.0; /* landing speed */
  double h = tc / 2.0;
  /* y(h) − y(0) with y'' = g(A sin(πt/tc) − 1), y'(0) = −v0 */
  double drop = -v0 * h + G0 * (A * tc / M_PI * (h - tc / M_PI * sin(M_PI * h / tc)) - h * h / 2.0);
  return (G0 * tf * tf / 8.0 + fabs(drop)) * 100.0;
}

/* First sample at or after time t: every segment and step covers the samples
 * [idx_at(start), idx_at(end)), so consecutive spans tile the samples exactly
 * (no sample counted by two spans, none by neither). */
static size_t idx_at(double t, double fs)
{
  double i = ceil(t * fs);
  return i > 0 ? (size_t)i : 0;
}

static int add_truth(gbt_signal *s, size_t *cap, const gbt_truth_step *t)
{
  if (s->n_steps == *cap) {
    size_t nc = *cap ? 2 * *cap : 256;
    gbt_truth_step *p = realloc(s->steps, nc * sizeof *p);
    if (!p) return -1;
    s->steps = p;
    *cap = nc;
  }
  s->steps[s->n_steps++] = *t;
  return 0;
}

static void add_pulse(float *v, size_t n, double fs, double t0, double width, double amp)
{
  long i0 = (long)ceil(t0 * fs), i1 = (long)floor((t0 + width) * fs);
  for (long i = i0 < 0 ? 0 : i0; i <= i1 && i < (long)n; i++) {
    double x = ((double)i / fs - t0) / width;
    if (x >= 0 && x <= 1) v[i] += (float)(amp * sin(M_PI * x));
  }
}

static void add_burst(float *v, size_t n, double fs, double t0, double amp)
{
  const double f = 15.0, tau = 0.025; /* impact transient: 15 Hz, 25 ms decay */
  long i0 = (long)ceil(t0 * fs), i1 = (long)floor((t0 + 8 * tau) * fs);
  for (long i = i0 < 0 ? 0 : i0; i <= i1 && i < (long)n; i++) {
    double x = (double)i / fs - t0;
    if (x >= 0) v[i] += (float)(amp * exp(-x / tau) * sin(2 * M_PI * f * x));
  }
}

int gbt_build(const gbt_spec *sp, gbt_signal *out)
{
  memset(out, 0, sizeof *out);
  double total = 0;
  for (int i = 0; i < sp->n_seg; i++) total += sp->seg[i].dur_s;
  size_t n = (size_t)floor(total * sp->fs);
  int ch = sp->channels == 3 ? 3 : 1;
  out->n = n;
  out->channels = ch;
  out->vert = calloc(n ? n : 1, sizeof(float));
  out->frames = calloc((n ? n : 1) * (size_t)ch, sizeof(float));
  float *lean = calloc(n ? n : 1, sizeof(float));
  float *ap = calloc(n ? n : 1, sizeof(float)); /* forward (braking/propulsion) acceleration */
  if (!out->vert || !out->frames || !lean || !ap) { free(lean); free(ap); gbt_free(out); return -1; }
  uint64_t rng = sp->seed ? sp->seed : 1;
  size_t cap = 0;
  double duty = sp->duty > 0 ? sp->duty : 0.6;
  double t_seg = 0;
  int side = 0;
  for (int si = 0; si < sp->n_seg; si++) {
    const gbt_segment *g = &sp->seg[si];
    double t_end = t_seg + g->dur_s;
    const size_t i_seg = idx_at(t_seg, sp->fs), i_end = idx_at(t_end, sp->fs) < n ? idx_at(t_end, sp->fs) : n;
    for (size_t i = i_seg; i < i_end; i++) lean[i] = (float)g->lean_deg;
    if (g->kind == GBT_STILL) {
      for (size_t i = i_seg; i < i_end; i++) out->vert[i] += 1.0f;
      t_seg = t_end;
      continue;
    }
    /* Step k starts at t_seg + k T at a constant cadence (no accumulated rounding),
     * at t_seg + the sum of the previous step times on a ramp; a step's samples
     * end at the next step's first sample and never pass the segment's end. */
    const int ramp = g->cad1_spm != g->cad0_spm;
    double t = t_seg, t_sum = 0;
    for (long k = 0;; k++) {
      double frac = (t - t_seg) / g->dur_s;
      double cad = g->cad0_spm + (g->cad1_spm - g->cad0_spm) * frac;
      double T = 60.0 / cad;
      if (t + T > t_end + 1e-9) break;
      const double t_next = ramp ? t_seg + (t_sum + T) : t_seg + (double)(k + 1) * T;
      size_t i_stop = idx_at(t_next, sp->fs);
      if (i_stop > i_end) i_stop = i_end;
      const size_t i_step = idx_at(t, sp->fs);
      double amp = g->amp_scale > 0 ? g->amp_scale : 1.0;
      if (side == 1 && g->side1_scale > 0) amp *= g->side1_scale;
      if (g->amp_jitter > 0) amp *= 1.0 + g->amp_jitter * sqrt(12.0) * (gbt_rand01(&rng) - 0.5);
      int rear = gbt_rand01(&rng) < g->rearfoot_share;
      gbt_truth_step ts = {t, 0, 0, rear ? 1 : 2, g->kind, side, 0};
      if (sp->site == GBT_SITE_TRUNK) {
        if (g->kind == GBT_RUN) {
          double tc = duty * T, A = M_PI * T / (2 * tc);
          /* the whole step: flight 0 g, stance half sine */
          for (size_t i = i_step; i < i_stop; i++) out->vert[i] += 0.0f;
          add_pulse(out->vert, n, sp->fs, t, tc, A);
          for (size_t i = (size_t)ceil(t * sp->fs); i < n && (double)i / sp->fs < t + tc; i++)
            ap[i] += (float)(-0.5 * sin(2 * M_PI * ((double)i / sp->fs - t) / tc)); /* brake, then push */
          if (amp != 1.0) add_pulse(out->vert, n, sp->fs, t, tc, A * (amp - 1.0) * 0.3);
          if (rear) add_burst(out->vert, n, sp->fs, t, 0.8 * amp);
          ts.ct_s = tc;
          ts.peak_g = A + A * (amp - 1.0) * 0.3;
          ts.vo_cm = vo_analytic(T, tc);
        } else {
          double w = 0.5 * T, A = 0.4 * amp, B = sp->pushoff > 0 ? sp->pushoff * A : 0;
          for (size_t i = i_step; i < i_stop; i++)
            out->vert[i] += (float)(1.0 - (A + B) * w * 2.0 / M_PI / T);
          add_pulse(out->vert, n, sp->fs, t, w, A);
          if (B > 0) add_pulse(out->vert, n, sp->fs, t + w, w, B);
          for (size_t i = i_step; i < i_stop; i++)
            ap[i] += (float)(-0.2 * sin(2 * M_PI * ((double)i / sp->fs - t) / T));
          ts.peak_g = 1.0 + fmax(A, B) - (A + B) * w * 2.0 / M_PI / T;
        }
        if (add_truth(out, &cap, &ts)) { free(lean); free(ap); return -1; }
      } else {
        /* shank: steps alternate legs; the sensor's leg is side 0 */
        for (size_t i = i_step; i < i_stop; i++) out->vert[i] += 1.0f;
        double run = g->kind == GBT_RUN;
        if (side == 0) {
          double ia = (run ? 8.0 : 2.5) * amp, aa = (run ? 3.0 : 1.0) * amp;
          if (rear) { /* heel transient, then a low mid-stance tibial acceleration */
            add_burst(out->vert, n, sp->fs, t, ia);
            add_pulse(out->vert, n, sp->fs, t + 0.01, 0.15, aa / 3.0);
            ts.peak_g = 1.0 + ia * 0.56;
          } else {  /* one smooth loading bump (energy below ~10 Hz) */
            add_pulse(out->vert, n, sp->fs, t, 0.08, 1.6 * aa);
            ts.peak_g = 1.0 + 1.6 * aa;
          }
          /* swing-phase bump of the sensor's leg, mid-way through the other leg's step */
          add_pulse(out->vert, n, sp->fs, t + T + 0.3 * T, 0.4 * T, (run ? 1.2 : 0.4));
          if (add_truth(out, &cap, &ts)) { free(lean); free(ap); return -1; }
        } else {
          add_pulse(out->vert, n, sp->fs, t, 0.08, (run ? 0.6 : 0.2) * amp); /* other leg, attenuated */
        }
      }
      side ^= 1;
      t_sum += T;
      t = t_next;
    }
    t_seg = t_end;
  }
  for (size_t i = 0; i < n; i++) {
    double v = out->vert[i] + sp->noise_sd * gbt_randn(&rng);
    if (sp->clip_g > 0) v = fmax(-sp->clip_g, fmin(sp->clip_g, v));
    out->vert[i] = (float)v;
    if (ch == 1) {
      out->frames[i] = (float)v;
    } else {
      /* trunk tilted forward by th: sensor z = v·cos + f·sin, y = −v·sin + f·cos */
      double th = lean[i] * M_PI / 180.0, f = ap[i];
      double y = -v * sin(th) + f * cos(th), z = v * cos(th) + f * sin(th);
      if (sp->clip_g > 0) { y = fmax(-sp->clip_g, fmin(sp->clip_g, y)); z = fmax(-sp->clip_g, fmin(sp->clip_g, z)); }
      out->frames[3 * i] = 0.0f;
      out->frames[3 * i + 1] = (float)y;
      out->frames[3 * i + 2] = (float)z;
    }
  }
  free(lean);
  free(ap);
  return 0;
}

int gbt_blank(gbt_signal *s, size_t n, size_t max_steps)
{
  memset(s, 0, sizeof *s);
  s->n = n;
  s->channels = 1;
  s->vert = calloc(n, sizeof(float));
  s->steps = calloc(max_steps, sizeof(gbt_truth_step));
  if (!s->vert || !s->steps) {
    gbt_free(s);
    return -1;
  }
  return 0;
}

void gbt_add_gravity_noise(gbt_signal *s, double sd_g, uint64_t seed)
{
  for (size_t i = 0; i < s->n; i++) s->vert[i] += 1.0f + (float)(sd_g * gbt_randn(&seed));
}

void gbt_free(gbt_signal *s)
{
  if (!s) return;
  free(s->vert);
  free(s->frames);
  free(s->steps);
  memset(s, 0, sizeof *s);
}

double gbt_f1(const double *det, size_t n_det, const double *truth, size_t n_truth, double tol_s,
              double *recall, double *precision)
{
  size_t tp = 0, j = 0;
  /* both sorted: greedy nearest one-to-one matching in time order */
  for (size_t i = 0; i < n_truth; i++) {
    while (j < n_det && det[j] < truth[i] - tol_s) j++;
    if (j < n_det && fabs(det[j] - truth[i]) <= tol_s) { tp++; j++; }
  }
  double r = n_truth ? (double)tp / (double)n_truth : 1.0;
  double p = n_det ? (double)tp / (double)n_det : (n_truth ? 0.0 : 1.0);
  if (recall) *recall = r;
  if (precision) *precision = p;
  return r + p > 0 ? 2 * r * p / (r + p) : 0.0;
}
