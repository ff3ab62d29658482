/* FFT plan cache and spectral helpers: the plan is cached per size, the r2c
 * transform puts a cosine where theory says, and log-parabolic interpolation
 * recovers an off-grid frequency from a zero-padded Hann spectrum. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <string.h>

#include "dsp/fft_plan.h"
#include "dsp/spectrum.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static void test_plan_cached(void **state)
{
  (void)state;
  const fftwf_plan *a = gb_fft_plan_r2c(1024);
  const fftwf_plan *b = gb_fft_plan_r2c(1024);
  const fftwf_plan *c = gb_fft_plan_r2c(2048);
  assert_non_null(a);
  assert_ptr_equal(a, b);
  assert_ptr_not_equal(a, c);
  assert_null(gb_fft_plan_r2c(0));
}

static void test_r2c_cosine(void **state)
{
  (void)state;
  size_t n = 256;
  float *in = gb_fft_alloc(n * sizeof(float));
  fftwf_complex *out = gb_fft_alloc((n / 2 + 1) * sizeof(fftwf_complex));
  for (size_t i = 0; i < n; i++) in[i] = (float)cos(2 * M_PI * 10.0 * (double)i / (double)n);
  gb_fft_r2c(gb_fft_plan_r2c(n), in, out);
  /* a unit cosine at bin 10 gives X[10] = n/2, every other bin ~0 */
  assert_float_equal(out[10][0], n / 2.0, 1e-3);
  assert_float_equal(out[10][1], 0.0, 1e-3);
  for (size_t k = 0; k <= n / 2; k++)
    if (k != 10) assert_true(fabs(out[k][0]) + fabs(out[k][1]) < 1e-3);
  gb_fft_free(in);
  gb_fft_free(out);
}

static void test_interp_off_grid(void **state)
{
  (void)state;
  size_t n = 400, nfft = 4096;
  double fs = 50.0;
  float *w = malloc(n * sizeof(float));
  float *in = gb_fft_alloc(nfft * sizeof(float));
  fftwf_complex *out = gb_fft_alloc((nfft / 2 + 1) * sizeof(fftwf_complex));
  float *p = malloc((nfft / 2 + 1) * sizeof(float));
  gb_hann(w, n);
  assert_float_equal(w[0], 0.0, 1e-7);
  assert_float_equal(w[n - 1], 0.0, 1e-7);
  assert_float_equal(w[100], w[n - 1 - 100], 1e-6);
  const double freqs[] = {1.1667, 2.0, 2.3456, 3.6667};
  for (size_t q = 0; q < sizeof freqs / sizeof freqs[0]; q++) {
    for (size_t i = 0; i < nfft; i++)
      in[i] = i < n ? (float)(w[i] * sin(2 * M_PI * freqs[q] * (double)i / fs + 0.3)) : 0.0f;
    gb_fft_r2c(gb_fft_plan_r2c(nfft), in, out);
    for (size_t k = 0; k <= nfft / 2; k++) p[k] = out[k][0] * out[k][0] + out[k][1] * out[k][1];
    size_t k = gb_argmax(p, nfft / 2 + 1, 1, nfft / 2);
    double f = gb_peak_interp_log(p, nfft / 2 + 1, k) * fs / (double)nfft;
    /* 0.5 spm = 0.0083 Hz; require ten times better on a clean tone */
    assert_true(fabs(f - freqs[q]) < 0.0008);
  }
  assert_int_equal(gb_next_pow2(1), 1);
  assert_int_equal(gb_next_pow2(1025), 2048);
  free(w);
  free(p);
  gb_fft_free(in);
  gb_fft_free(out);
}

/* Several threads asking for plans of several sizes at once and executing them
 * concurrently get the same numbers as one thread (planner under the lock,
 * execution through the new-array interface). */
#define N_THREADS 4
static const size_t k_sizes[] = {512, 1024, 2048, 4096, 3000};
typedef struct job { size_t n; float sum; } job;

static float spectrum_sum(size_t n)
{
  float *in = gb_fft_alloc(n * sizeof(float));
  fftwf_complex *out = gb_fft_alloc((n / 2 + 1) * sizeof(fftwf_complex));
  for (size_t i = 0; i < n; i++) in[i] = (float)sin(0.37 * (double)i) + (float)(i % 7) * 0.1f;
  gb_fft_r2c(gb_fft_plan_r2c(n), in, out);
  float s = 0;
  for (size_t k = 0; k <= n / 2; k++) s += out[k][0] * out[k][0] + out[k][1] * out[k][1];
  gb_fft_free(in);
  gb_fft_free(out);
  return s;
}

static void *worker(void *arg)
{
  job *j = arg;
  for (int rep = 0; rep < 20; rep++) j->sum = spectrum_sum(j->n);
  return NULL;
}

static void test_threads(void **state)
{
  (void)state;
  pthread_t th[N_THREADS * 5];
  job jobs[N_THREADS * 5];
  size_t nj = 0;
  for (int t = 0; t < N_THREADS; t++)
    for (size_t s = 0; s < 5; s++) {
      jobs[nj].n = k_sizes[s] + (size_t)t * 2; /* new sizes planned concurrently */
      assert_int_equal(pthread_create(&th[nj], NULL, worker, &jobs[nj]), 0);
      nj++;
    }
  for (size_t i = 0; i < nj; i++) pthread_join(th[i], NULL);
  for (size_t i = 0; i < nj; i++) {
    float ref = spectrum_sum(jobs[i].n);
    assert_memory_equal(&ref, &jobs[i].sum, sizeof ref);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_plan_cached),
      cmocka_unit_test(test_r2c_cosine),
      cmocka_unit_test(test_interp_off_grid),
      cmocka_unit_test(test_threads),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
