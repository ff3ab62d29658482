/* Internal: small deterministic statistics over the run tables, shared by the
 * events and summary stages (gaitB). Every function ignores NaN entries and
 * returns NaN when nothing is left. */
#ifndef GB_GAIT_RUN_STATS_H
#define GB_GAIT_RUN_STATS_H
#include <stddef.h>
#include "gaitbatch/analyzer.h"

/* Median (mean of the two middle values for an even count), on a sorted copy. */
float gb_rs_median(const float *x, size_t n);
/* Percentile p in [0, 1]: linear interpolation between order statistics
 * (Hyndman & Fan 1996 type 7, the R/NumPy default): h = (m − 1)·p. */
float gb_rs_percentile(const float *x, size_t n, double p);
void gb_rs_mean_sd(const float *x, size_t n, double *mean, double *sd);
/* Kind of the bout holding time t (GB_BOUT_OTHER when no bout covers it). */
int gb_rs_bout_kind_at(const gb_result *r, double t);
/* Total time in bouts of this kind, s. */
double gb_rs_bout_time(const gb_result *r, int kind);
/* Steps per contact the sensor reports: 2 for unilateral sensors (own-leg
 * contacts only, one per stride), else 1. */
int gb_rs_steps_per_contact(const gb_analyzer_input *in);
/* Cadence (steps/min) from the median contact interval of steps [i0, i1) whose
 * neighbours are closer than max_gap_s; NaN with fewer than 2 intervals. */
float gb_rs_step_cadence(const gb_step *s, size_t i0, size_t i1, double max_gap_s, int mult);
/* Alternating-step asymmetry of peak_g over running steps, %: within each run of
 * continuous steps (≥ 10), |mean(even) − mean(odd)| / mean, weighted by length.
 * NaN for unilateral sensors or too few steps. */
float gb_rs_asymmetry_pct(const gb_result *r, const gb_analyzer_input *in, double t0, double t1);
#endif
