/* Internal: small spectral helpers for the cadence STFT. */
#ifndef GB_DSP_SPECTRUM_H
#define GB_DSP_SPECTRUM_H
#include <stddef.h>

/* Hann window of length n (symmetric form, w[0] = w[n-1] = 0 for n > 1). */
void gb_hann(float *w, size_t n);
/* Smallest power of two >= n (n >= 1). */
size_t gb_next_pow2(size_t n);
/* Sub-bin position of the spectral peak at bin k of power spectrum p[0..n):
 * a parabola through the log powers of bins k-1, k, k+1 (exact for a Gaussian
 * peak, and within a small fraction of a bin for a zero-padded Hann main lobe;
 * Gasior & Gonzalez, CERN AB-Note-2004-021). Returns k + delta, |delta| <= 0.5;
 * k itself at the edges or when the neighbours are not smaller. */
double gb_peak_interp_log(const float *p, size_t n, size_t k);
/* Index of the largest p[i] for lo <= i <= hi (clamped to n-1); lo when empty. */
size_t gb_argmax(const float *p, size_t n, size_t lo, size_t hi);

#endif
