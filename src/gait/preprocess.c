#include "gait/preprocess.h"

#include <math.h>
#include <string.h>

/* Cadence analysis rate: ~50 Hz keeps 12 harmonics' worth of headroom above the
 * fastest step rate (240 spm = 4 Hz) while making the STFT cost independent of the
 * sensor rate. */
#define GB_ANALYSIS_RATE_HZ 50.0
/* Anti-alias corner as a fraction of the analysis rate: 0.2 fa (10 Hz at 50 Hz)
 * keeps the first harmonics of the fastest stride (2 Hz × 4 = 8 Hz) and puts the
 * folding frequency 2.5 corners away (cascaded biquads: ~-40 dB there). */
#define GB_AA_FRACTION 0.2
/* 1-channel sign hysteresis: the gravity low-pass must pass ±0.5 g (half of 1 g)
 * before the sign of the long axis is flipped, so motion cannot toggle it. */
#define GB_SIGN_HYST_G 0.5

unsigned gb_preproc_dec_factor(double rate_hz)
{
  double d = floor(rate_hz / GB_ANALYSIS_RATE_HZ + 0.5);
  if (!(d >= 1)) d = 1;
  if (d > 100000) d = 100000;
  return (unsigned)d;
}

void gb_preproc_init(gb_preproc *p, double rate_hz, int channels, double gravity_cutoff_hz)
{
  memset(p, 0, sizeof *p);
  p->rate_hz = rate_hz;
  p->channels = channels;
  for (int i = 0; i < 3; i++) gb_biquad_lowpass(&p->grav[i], gravity_cutoff_hz, rate_hz);
  p->sign1 = 1;
  p->dec_factor = gb_preproc_dec_factor(rate_hz);
  double fa = rate_hz / p->dec_factor;
  for (int i = 0; i < 2; i++) gb_biquad_lowpass(&p->aa[i], GB_AA_FRACTION * fa, rate_hz);
  double bl = floor(GB_SLOW_BLOCK_S * rate_hz + 0.5);
  p->block_len = bl < 1 ? 1 : (size_t)bl;
}

void gb_preproc_slow_emit(gb_preproc *p, gb_slow_row *row)
{
  double n = (double)p->blk_n;
  double first = (double)(p->n_in - p->blk_n); /* index of the block's first frame */
  row->t_s = (first + 0.5 * (n - 1)) / p->rate_hz;
  row->gx = (float)(p->blk_sx / n);
  row->gy = (float)(p->blk_sy / n);
  row->gz = (float)(p->blk_sz / n);
  double mm = p->blk_sm / n, vm = p->blk_sv / n;
  double mv = p->blk_smm / n - mm * mm, vv = p->blk_svv / n - vm * vm;
  row->mag_mean = (float)mm;
  row->mag_sd = (float)sqrt(mv > 0 ? mv : 0);
  row->vert_sd = (float)sqrt(vv > 0 ? vv : 0);
  p->blk_n = 0;
  p->blk_sx = p->blk_sy = p->blk_sz = p->blk_sm = p->blk_smm = p->blk_sv = p->blk_svv = 0;
}

/* One frame: the same operations in the same order for 1 and 3 channels as a
 * plain per-sample loop, so outputs do not depend on the block size. The filter
 * states live in locals of the caller (no reload through p between frames). */
static inline void frame_3(const float *f, gb_biquad *g, double *v, double *m, double *x,
                           double *y, double *z)
{
  *x = f[0];
  *y = f[1];
  *z = f[2];
  double gx = gb_biquad_step(&g[0], *x), gy = gb_biquad_step(&g[1], *y),
         gz = gb_biquad_step(&g[2], *z);
  double gn = sqrt(gx * gx + gy * gy + gz * gz);
  /* a · ĝ; with no usable gravity estimate (free fall) fall back to the norm */
  *m = sqrt(*x * *x + *y * *y + *z * *z);
  *v = gn > 1e-6 ? (*x * gx + *y * gy + *z * gz) / gn : *m;
}

/* Frames per sub-block of the two passes below (their v and |a| in double on the
 * stack: 4 KiB). */
#define GB_PP_SUB 256

/* Two passes per sub-block: gravity and projection, then anti-alias, decimation
 * and slow-block sums. One loop doing all of it kept five filter states, seven
 * sums and the coefficients live at once, more than the registers hold, and the
 * recurrences went through the stack; each pass now keeps its own in registers.
 * Every value goes through the same operations in the same order as before. */
void gb_preproc_run_reference(gb_preproc *p, const float *frames, size_t n, float *vert, float *mag,
                              float *dec, size_t *n_dec, gb_slow_row *slow, size_t *n_slow)
{
  const int ch = p->channels;
  const unsigned dfac = p->dec_factor;
  size_t nd = 0, ns = 0;
  if (n == 0) {
    *n_dec = *n_slow = 0;
    return;
  }
  if (!p->primed) {
    /* the first frame primes the gravity filters, its vertical value the
     * anti-alias filters (no start-up transient) */
    if (ch == 3)
      for (int k = 0; k < 3; k++) gb_biquad_prime(&p->grav[k], frames[k]);
    else
      gb_biquad_prime(&p->grav[0], frames[0]);
  }
  const size_t block_len = p->block_len;
  for (size_t s0 = 0; s0 < n; s0 += GB_PP_SUB) {
    const size_t m = n - s0 < GB_PP_SUB ? n - s0 : GB_PP_SUB;
    double vs[GB_PP_SUB], ms[GB_PP_SUB];
    /* pass 1: gravity, vertical projection, |a| */
    if (ch == 3) {
      gb_biquad g[3] = {p->grav[0], p->grav[1], p->grav[2]};
      for (size_t i = 0; i < m; i++) {
        double x, y, z;
        frame_3(frames + (s0 + i) * 3, g, &vs[i], &ms[i], &x, &y, &z);
      }
      for (int k = 0; k < 3; k++) p->grav[k] = g[k];
    } else {
      gb_biquad g0 = p->grav[0];
      int sign1 = p->sign1;
      for (size_t i = 0; i < m; i++) {
        double z = frames[s0 + i];
        double gz = gb_biquad_step(&g0, z);
        if (gz < -GB_SIGN_HYST_G) sign1 = -1;
        else if (gz > GB_SIGN_HYST_G) sign1 = 1;
        vs[i] = sign1 * z;
        ms[i] = fabs(z);
      }
      p->grav[0] = g0;
      p->sign1 = sign1;
    }
    /* pass 2: outputs, anti-alias + decimation, slow-block sums */
    if (!p->primed) {
      gb_biquad_prime(&p->aa[0], vs[0]);
      gb_biquad_prime(&p->aa[1], vs[0]);
      p->primed = 1;
    }
    gb_biquad aa0 = p->aa[0], aa1 = p->aa[1];
    unsigned phase = p->dec_phase;
    size_t blk_n = p->blk_n;
    double sx = p->blk_sx, sy = p->blk_sy, sz = p->blk_sz, sm = p->blk_sm, smm = p->blk_smm,
           sv = p->blk_sv, svv = p->blk_svv;
    for (size_t i = 0; i < m; i++) {
      const double v = vs[i], mg = ms[i];
      vert[s0 + i] = (float)v;
      mag[s0 + i] = (float)mg;
      if (dfac > 1) {
        double a = gb_biquad_step(&aa1, gb_biquad_step(&aa0, v));
        if (phase == 0) dec[nd++] = (float)a;
        if (++phase == dfac) phase = 0;
      } else {
        dec[nd++] = (float)v;
      }
      double x = 0, y = 0, z;
      if (ch == 3) {
        const float *f = frames + (s0 + i) * 3;
        x = f[0];
        y = f[1];
        z = f[2];
      } else {
        z = frames[s0 + i];
      }
      sx += x;
      sy += y;
      sz += z;
      sm += mg;
      smm += mg * mg;
      sv += v;
      svv += v * v;
      blk_n++;
      if (blk_n == block_len) {
        p->blk_n = blk_n;
        p->blk_sx = sx, p->blk_sy = sy, p->blk_sz = sz, p->blk_sm = sm, p->blk_smm = smm;
        p->blk_sv = sv, p->blk_svv = svv;
        p->n_in += s0 + i + 1; /* the row is dated from n_in */
        gb_preproc_slow_emit(p, &slow[ns++]);
        p->n_in -= s0 + i + 1;
        blk_n = 0;
        sx = sy = sz = sm = smm = sv = svv = 0;
      }
    }
    p->aa[0] = aa0;
    p->aa[1] = aa1;
    p->dec_phase = phase;
    p->blk_n = blk_n;
    p->blk_sx = sx, p->blk_sy = sy, p->blk_sz = sz, p->blk_sm = sm, p->blk_smm = smm;
    p->blk_sv = sv, p->blk_svv = svv;
  }
  p->n_in += n;
  *n_dec = nd;
  *n_slow = ns;
}

int gb_preproc_flush(gb_preproc *p, gb_slow_row *row)
{
  if (p->blk_n == 0) return 0;
  gb_preproc_slow_emit(p, row);
  return 1;
}

#ifdef GB_PREPROC_SSE2
/* The SSE2 path relies on the three gravity sections sharing their coefficients,
 * and the two anti-alias sections too (gb_preproc_init makes them so). */
static int same_coefs(const gb_biquad *a, const gb_biquad *b)
{
  return a->b0 == b->b0 && a->b1 == b->b1 && a->b2 == b->b2 && a->a1 == b->a1 && a->a2 == b->a2;
}
#endif

void gb_preproc_run(gb_preproc *p, const float *frames, size_t n, float *vert, float *mag,
                    float *dec, size_t *n_dec, gb_slow_row *slow, size_t *n_slow)
{
#ifdef GB_PREPROC_SSE2
  if (p->primed && p->channels == 3 && p->dec_factor > 1 && same_coefs(&p->grav[0], &p->grav[1]) &&
      same_coefs(&p->grav[0], &p->grav[2]) && same_coefs(&p->aa[0], &p->aa[1])) {
    size_t nd = 0, ns = 0;
    const size_t done = gb_preproc_run_sse2(p, frames, n, vert, mag, dec, &nd, slow, &ns);
    if (done < n) { /* an odd last frame, or too few for a pair */
      size_t nd2 = 0, ns2 = 0;
      gb_preproc_run_reference(p, frames + done * 3, n - done, vert + done, mag + done, dec + nd, &nd2,
                               slow + ns, &ns2);
      nd += nd2;
      ns += ns2;
    }
    *n_dec = nd;
    *n_slow = ns;
    return;
  }
#endif
  gb_preproc_run_reference(p, frames, n, vert, mag, dec, n_dec, slow, n_slow);
}
