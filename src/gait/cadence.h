/* Internal: cadence from a Hann-windowed STFT of the decimated vertical
 * acceleration (DESIGN §5).
 *
 * One gb_cadence_row per hop, emitted as soon as its window is complete (a ring
 * buffer of one window), so rows are identical whatever the push block size. The
 * step-rate peak is found with a harmonic comb that penalises energy between the
 * teeth (so neither a half nor a double rate wins), and the stride-vs-step
 * ambiguity is resolved from the energy at odd multiples of half the fundamental,
 * the sensor location (a tibia/foot/thigh sensor sees its own leg at stride rate)
 * and the signal's intensity (a running trunk swings by > 0.5 g SD). A sacrum or
 * trunk sensor without a flight phase (walking) gets two more rules: a step rate
 * above running_min_spm is the step's second harmonic (the step is half of it),
 * and a fundamental without a half-rate line whose even harmonics outweigh its odd
 * ones (harmonic ratio >= 1, Menz et al. 2003) is the stride. */
#ifndef GB_GAIT_CADENCE_H
#define GB_GAIT_CADENCE_H

#include <stddef.h>

#include "gaitbatch/analyzer.h"

/* Running: a flight phase means the trunk's vertical acceleration swings from
 * ~0 g to >= 2 g (mean 1 g over the stride), an SD >= ~0.7 g for a 40 % stance
 * duty; walking (no flight phase) stays near 0.2-0.3 g SD. 0.5 g separates the
 * two (physics of the flight phase; the adept hip sensor reads 0.9 g SD running
 * vs 0.25 g walking). Used by cadence (stride/step) and bouts (running). */
#define GB_RUN_SD_G 0.5

/* A growable table of cadence rows. */
typedef struct gb_cadence_table {
  gb_cadence_row *rows;
  size_t n, cap;
} gb_cadence_table;
int gb_cadence_table_add(gb_cadence_table *t, const gb_cadence_row *row);

/* Details of one window's estimate (for tests and diagnostics). */
typedef struct gb_cadence_est {
  double spm;           /* reported cadence, 0 when none */
  double confidence;    /* 0..1 */
  double fundamental_hz;/* fundamental periodicity found by the comb */
  double subharm_ratio; /* energy at odd multiples of half the fundamental / comb energy */
  double sd_g;          /* SD of the window (mean removed) */
  int stride;           /* 1 when the fundamental was taken as the stride rate */
} gb_cadence_est;

typedef struct gb_cadence gb_cadence;

/* fa_hz: rate of the decimated stream. Returns 0, GB_ENOMEM or GB_EFFT. */
int gb_cadence_create(const gb_analysis_params *p, gb_location loc, double fa_hz,
                      gb_cadence **out);
/* Feeds decimated samples; completed windows are appended to t. */
int gb_cadence_push(gb_cadence *c, const float *x, size_t n, gb_cadence_table *t);
/* End of stream: a recording shorter than one window (but >= 2 s) still gets one
 * row computed over what there is. */
int gb_cadence_finish(gb_cadence *c, gb_cadence_table *t);
void gb_cadence_free(gb_cadence *c);

/* Estimate over one window of n decimated samples (n <= the window length). */
int gb_cadence_window(gb_cadence *c, const float *x, size_t n, gb_cadence_est *e);

#endif
