/* Internal: per-frame preprocessing of the analyzer (DESIGN §3).
 *
 * From raw frames (g) it derives, sample by sample (so the output does not depend
 * on how the stream is cut into blocks):
 *   - the full-rate vertical acceleration (a · ĝ, gravity included, ≈ +1 g at rest)
 *     and |a|, for contacts;
 *   - a decimated vertical stream (anti-alias low-pass, every D-th sample) at an
 *     analysis rate of about 50 Hz, for the cadence STFT;
 *   - gb_slow_row blocks of GB_SLOW_BLOCK_S, for bouts and posture. */
#ifndef GB_GAIT_PREPROCESS_H
#define GB_GAIT_PREPROCESS_H

#include <stddef.h>
#include <stdint.h>

#include "dsp/biquad.h"
#include "gait/gait_internal.h"

typedef struct gb_preproc {
  double rate_hz;
  int channels;
  /* gravity */
  gb_biquad grav[3];
  int primed;
  int sign1;          /* 1-channel: +1 or -1 so that gravity reads +1 */
  /* decimation */
  unsigned dec_factor;
  unsigned dec_phase; /* n_in mod dec_factor, kept by counting (no 64-bit division per frame) */
  gb_biquad aa[2];    /* 4th-order Butterworth anti-alias, cascaded */
  /* slow blocks */
  size_t block_len;   /* samples per slow row */
  size_t blk_n;
  double blk_sx, blk_sy, blk_sz, blk_sm, blk_smm, blk_sv, blk_svv;
  uint64_t n_in;      /* frames seen */
} gb_preproc;

/* Analysis rate of the decimated stream for sensor rate `rate_hz`. */
unsigned gb_preproc_dec_factor(double rate_hz);

void gb_preproc_init(gb_preproc *p, double rate_hz, int channels, double gravity_cutoff_hz);

/* Processes n frames (n × channels, interleaved). Writes vert[n] and mag[n];
 * appends the decimated vertical samples to dec (room for n / D + 1) and counts
 * them in *n_dec; appends completed slow rows to slow (room for
 * n / block_len + 1) and counts them in *n_slow. */
void gb_preproc_run(gb_preproc *p, const float *frames, size_t n, float *vert, float *mag,
                    float *dec, size_t *n_dec, gb_slow_row *slow, size_t *n_slow);

/* The same, frame by frame in scalar code: the reference the vectorised path
 * must match bit for bit (test_preprocess_paths), and the path for 1-channel
 * recordings, rates that do not decimate and the first block of a recording. */
void gb_preproc_run_reference(gb_preproc *p, const float *frames, size_t n, float *vert, float *mag,
                              float *dec, size_t *n_dec, gb_slow_row *slow, size_t *n_slow);

#include "util/simd.h"

#ifdef GB_SSE2
#define GB_PREPROC_SSE2 1
/* 3 channels, decimating, primed (preprocess_sse2.c): processes the largest even
 * number of frames <= n, returns it (0 when n < 2); outputs as gb_preproc_run. */
size_t gb_preproc_run_sse2(gb_preproc *p, const float *frames, size_t n, float *vert, float *mag,
                           float *dec, size_t *n_dec, gb_slow_row *slow, size_t *n_slow);
#endif

/* Writes the slow row of the accumulated block (dated from n_in) and clears it. */
void gb_preproc_slow_emit(gb_preproc *p, gb_slow_row *row);

/* Emits the last partial slow block, if any (returns 1 and fills *row). */
int gb_preproc_flush(gb_preproc *p, gb_slow_row *row);

#endif
