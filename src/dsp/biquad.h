/* Internal: second-order IIR sections (RBJ audio-EQ cookbook forms), in double
 * precision state so that long recordings do not drift. */
#ifndef GB_DSP_BIQUAD_H
#define GB_DSP_BIQUAD_H

typedef struct gb_biquad {
  double b0, b1, b2, a1, a2; /* normalised so a0 = 1 */
  double z1, z2;             /* transposed direct form II state */
} gb_biquad;

/* Butterworth (Q = 1/sqrt(2)) low-pass / high-pass at fc for sample rate fs. */
void gb_biquad_lowpass(gb_biquad *f, double fc, double fs);
void gb_biquad_highpass(gb_biquad *f, double fc, double fs);
/* Band-pass with 0 dB peak gain between f_lo and f_hi (centre = geometric mean). */
void gb_biquad_bandpass(gb_biquad *f, double f_lo, double f_hi, double fs);
/* Sets the state as if the input had been `x` forever (no start-up transient). */
void gb_biquad_prime(gb_biquad *f, double x);
void gb_biquad_reset(gb_biquad *f);

static inline double gb_biquad_step(gb_biquad *f, double x)
{
  double y = f->b0 * x + f->z1;
  f->z1 = f->b1 * x - f->a1 * y + f->z2;
  f->z2 = f->b2 * x - f->a2 * y;
  return y;
}

#endif
