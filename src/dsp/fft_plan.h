/* Internal: process-wide FFTW plan cache.
 *
 * FFTW's planner is not thread-safe; fftwf_execute_dft_r2c on new arrays is. Plans
 * are therefore made once per size under a lock (FFTW_ESTIMATE: deterministic, per
 * the FFTW FAQ) and then executed concurrently by any number of analyzers. Arrays
 * passed to gb_fft_r2c must come from gb_fft_alloc (FFTW's alignment rules). */
#ifndef GB_DSP_FFT_PLAN_H
#define GB_DSP_FFT_PLAN_H
#include <stddef.h>
#include <fftw3.h>

/* Returns a plan for a real-to-complex transform of size n, or NULL. */
const fftwf_plan *gb_fft_plan_r2c(size_t n);
/* in: n floats; out: n/2+1 complex. */
void gb_fft_r2c(const fftwf_plan *plan, float *in, fftwf_complex *out);
void *gb_fft_alloc(size_t bytes);
void gb_fft_free(void *p);
#endif
