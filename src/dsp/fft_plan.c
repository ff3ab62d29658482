/* Process-wide FFTW plan cache (see fft_plan.h).
 *
 * Plans live in a fixed static table so that they stay reachable for the whole
 * process (LeakSanitizer treats static storage as a root) and are never freed:
 * the number of distinct sizes an analysis uses is tiny (one per window length).
 * Lookup and creation happen under one mutex because FFTW's planner is not
 * thread-safe; execution through the new-array interface needs no lock. */
#include "dsp/fft_plan.h"

#include <pthread.h>
#include <string.h>

#define GB_FFT_MAX_PLANS 64

typedef struct plan_slot {
  size_t n;
  fftwf_plan plan;
} plan_slot;

static plan_slot g_slots[GB_FFT_MAX_PLANS];
static size_t g_n_slots;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

const fftwf_plan *gb_fft_plan_r2c(size_t n)
{
  const fftwf_plan *found = NULL;
  if (n < 2 || n > (size_t)1 << 28) return NULL;
  pthread_mutex_lock(&g_lock);
  for (size_t i = 0; i < g_n_slots; i++) {
    if (g_slots[i].n == n) {
      found = &g_slots[i].plan;
      break;
    }
  }
  if (!found && g_n_slots < GB_FFT_MAX_PLANS) {
    /* Plan on arrays from fftwf_malloc: later executions use arrays from
     * gb_fft_alloc (same allocator, hence the same SIMD alignment), which the
     * new-array execute functions require. FFTW_ESTIMATE does not touch the
     * arrays and gives the same plan on every run (determinism). */
    float *in = fftwf_malloc(sizeof(float) * n);
    fftwf_complex *out = fftwf_malloc(sizeof(fftwf_complex) * (n / 2 + 1));
    if (in && out) {
      /* No FFTW_DESTROY_INPUT: r2c plans then keep their input intact (FFTW's
       * default), which the cadence STFT relies on to zero its padding once. */
      fftwf_plan p = fftwf_plan_dft_r2c_1d((int)n, in, out, FFTW_ESTIMATE);
      if (p) {
        g_slots[g_n_slots].n = n;
        g_slots[g_n_slots].plan = p;
        found = &g_slots[g_n_slots].plan;
        g_n_slots++;
      }
    }
    fftwf_free(in);
    fftwf_free(out);
  }
  pthread_mutex_unlock(&g_lock);
  return found;
}

void gb_fft_r2c(const fftwf_plan *plan, float *in, fftwf_complex *out)
{
  fftwf_execute_dft_r2c(*plan, in, out);
}

void *gb_fft_alloc(size_t bytes) { return fftwf_malloc(bytes ? bytes : 1); }

void gb_fft_free(void *p)
{
  if (p) fftwf_free(p);
}
