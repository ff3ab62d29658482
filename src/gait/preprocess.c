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

static void slow_emit(gb_preproc *p, gb_slow_row *row)
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

void gb_preproc_run(gb_preproc *p, const float *frames, size_t n, float *vert, float *mag,
                    float *dec, size_t *n_dec, gb_slow_row *slow, size_t *n_slow)
{
  const int ch = p->channels;
  size_t nd = 0, ns = 0;
  for (size_t i = 0; i < n; i++) {
    const float *f = frames + i * (size_t)ch;
    double v, m, x = 0, y = 0, z;
    if (ch == 3) {
      x = f[0];
      y = f[1];
      z = f[2];
      if (!p->primed) {
        gb_biquad_prime(&p->grav[0], x);
        gb_biquad_prime(&p->grav[1], y);
        gb_biquad_prime(&p->grav[2], z);
      }
      double gx = gb_biquad_step(&p->grav[0], x), gy = gb_biquad_step(&p->grav[1], y),
             gz = gb_biquad_step(&p->grav[2], z);
      double gn = sqrt(gx * gx + gy * gy + gz * gz);
      /* a · ĝ; with no usable gravity estimate (free fall) fall back to the norm */
      m = sqrt(x * x + y * y + z * z);
      v = gn > 1e-6 ? (x * gx + y * gy + z * gz) / gn : m;
    } else {
      z = f[0];
      if (!p->primed) gb_biquad_prime(&p->grav[0], z);
      double g = gb_biquad_step(&p->grav[0], z);
      if (g < -GB_SIGN_HYST_G) p->sign1 = -1;
      else if (g > GB_SIGN_HYST_G) p->sign1 = 1;
      v = p->sign1 * z;
      m = fabs(z);
    }
    if (!p->primed) {
      for (int k = 0; k < 2; k++) gb_biquad_prime(&p->aa[k], v);
      p->primed = 1;
    }
    vert[i] = (float)v;
    mag[i] = (float)m;
    if (p->dec_factor > 1) {
      double a = gb_biquad_step(&p->aa[1], gb_biquad_step(&p->aa[0], v));
      if (p->n_in % p->dec_factor == 0) dec[nd++] = (float)a;
    } else {
      dec[nd++] = (float)v;
    }
    p->blk_sx += x;
    p->blk_sy += y;
    p->blk_sz += z;
    p->blk_sm += m;
    p->blk_smm += m * m;
    p->blk_sv += v;
    p->blk_svv += v * v;
    p->blk_n++;
    p->n_in++;
    if (p->blk_n == p->block_len) slow_emit(p, &slow[ns++]);
  }
  *n_dec = nd;
  *n_slow = ns;
}

int gb_preproc_flush(gb_preproc *p, gb_slow_row *row)
{
  if (p->blk_n == 0) return 0;
  slow_emit(p, row);
  return 1;
}
