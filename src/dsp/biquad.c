#include "dsp/biquad.h"

#include <math.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static void set(gb_biquad *f, double b0, double b1, double b2, double a0, double a1, double a2)
{
  f->b0 = b0 / a0;
  f->b1 = b1 / a0;
  f->b2 = b2 / a0;
  f->a1 = a1 / a0;
  f->a2 = a2 / a0;
  f->z1 = f->z2 = 0;
}

static double clamp_fc(double fc, double fs)
{
  double nyq = 0.5 * fs;
  if (fc > 0.45 * fs) fc = 0.45 * fs;
  if (fc >= nyq) fc = 0.99 * nyq;
  if (fc <= 0) fc = 1e-6 * fs;
  return fc;
}

void gb_biquad_lowpass(gb_biquad *f, double fc, double fs)
{
  double w0 = 2 * M_PI * clamp_fc(fc, fs) / fs, c = cos(w0), alpha = sin(w0) / (2 * M_SQRT1_2);
  set(f, (1 - c) / 2, 1 - c, (1 - c) / 2, 1 + alpha, -2 * c, 1 - alpha);
}

void gb_biquad_highpass(gb_biquad *f, double fc, double fs)
{
  double w0 = 2 * M_PI * clamp_fc(fc, fs) / fs, c = cos(w0), alpha = sin(w0) / (2 * M_SQRT1_2);
  set(f, (1 + c) / 2, -(1 + c), (1 + c) / 2, 1 + alpha, -2 * c, 1 - alpha);
}

void gb_biquad_bandpass(gb_biquad *f, double f_lo, double f_hi, double fs)
{
  f_lo = clamp_fc(f_lo, fs);
  f_hi = clamp_fc(f_hi, fs);
  double f0 = sqrt(f_lo * f_hi);
  double bw_oct = log2(f_hi / f_lo);
  double w0 = 2 * M_PI * f0 / fs, s = sin(w0), c = cos(w0);
  double alpha = s * sinh(log(2) / 2 * bw_oct * w0 / s);
  set(f, alpha, 0, -alpha, 1 + alpha, -2 * c, 1 - alpha);
}

void gb_biquad_prime(gb_biquad *f, double x)
{
  /* steady state of TDF-II for constant input x: y = H(1) x */
  double dc = (f->b0 + f->b1 + f->b2) / (1 + f->a1 + f->a2);
  double y = dc * x;
  f->z2 = f->b2 * x - f->a2 * y;
  f->z1 = f->b1 * x - f->a1 * y + f->z2;
}

void gb_biquad_reset(gb_biquad *f) { f->z1 = f->z2 = 0; }
