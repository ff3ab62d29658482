/* Internal: small deterministic statistics over the run tables, shared by the
 * events and summary stages (gaitB). Every function ignores NaN entries and
 * returns NaN when nothing is left. */
#ifndef GB_GAIT_RUN_STATS_H
#define GB_GAIT_RUN_STATS_H
#include <stddef.h>
#include "gaitbatch/analyzer.h"

/* Median (mean of the two middle values for an even count). */
float gb_rs_median(const float *x, size_t n);
/* Percentile p in [0, 1]: linear interpolation between order statistics
 * (Hyndman & Fan 1996 type 7, the R/NumPy default): h = (m − 1)·p. The order
 * statistics come from a selection (quickselect) on a copy, not a full sort. */
float gb_rs_percentile(const float *x, size_t n, double p);
void gb_rs_mean_sd(const float *x, size_t n, double *mean, double *sd);
/* Kind of the bout holding time t (GB_BOUT_OTHER when no bout covers it). */
int gb_rs_bout_kind_at(const gb_result *r, double t);
/* paced[i] = 1 when step i is running now: its bout is a running one and the
 * cadence track at its time (the nearest window; the earlier of two equally near)
 * is at least running_min_spm; without a cadence track the bout label decides.
 * The bout stage ends a bout only seconds after the pace changed, so the first
 * steps of a cool-down walk still carry the running label; the centred cadence
 * windows flip close to the change. One pass over both tables (time order). */
void gb_rs_paced_fill(const gb_result *r, double running_min_spm, unsigned char *paced);
/* Total time in bouts of this kind, s. */
double gb_rs_bout_time(const gb_result *r, int kind);
/* Steps per contact the sensor reports: 2 for unilateral sensors (own-leg
 * contacts only, one per stride), else 1. */
int gb_rs_steps_per_contact(const gb_analyzer_input *in);
/* Cadence (steps/min) from the median contact interval of steps [i0, i1) whose
 * neighbours are closer than max_gap_s; NaN with fewer than 2 intervals. */
float gb_rs_step_cadence(const gb_step *s, size_t i0, size_t i1, double max_gap_s, int mult);
/* Alternating-step asymmetry of peak_g over running steps in [t0, t1], % (the
 * symmetry index |L − R| / mean(L, R), Zifchock et al., Gait Posture 2008), without
 * knowing which foot is which: over triplets of consecutive running steps whose
 * intervals are single steps, the step-lag mean square difference (4d² + 2σ²)
 * minus the stride-lag one (2σ²) leaves the alternating part d — the step vs stride
 * regularity contrast of Moe-Nilssen & Helbostad (J Biomech 2004) applied to the
 * per-step peaks, so a missed or false contact breaks no left/right bookkeeping.
 * Sacrum and trunk sensors only (midline: both feet, no arm swing); NaN for other
 * locations (a unilateral sensor sees one foot, a wrist's peaks alternate with the
 * arm swing) or fewer than 20 triplets. */
float gb_rs_asymmetry_pct(const gb_result *r, const gb_analyzer_input *in, double t0, double t1);
#endif
