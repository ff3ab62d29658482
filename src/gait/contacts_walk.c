/* Trunk walking: where a step's initial contact lies on the loading rise, and
 * when a low peak may count as a step (the slow-walking floor). Split from
 * contacts.c so the walking rules can be read and changed on their own; the
 * detector state is in contacts_internal.h. */
#include <math.h>
#include <stdint.h>

#include "gait/contacts_internal.h"

/* Initial contact of a walking step seen from the trunk, in samples (fractional):
 * the steepest point of the loading rise that ends at the smoothed peak k, searched
 * from the lowest smoothed sample of the `back` samples before k.
 * Why not the foot of that rise: in walking the trunk's vertical acceleration
 * starts to rise during the trailing leg's push-off, 100-200 ms before the leading
 * heel strikes (the two-humped force of each leg overlaps in double support), so
 * the foot of the rise comes early by a varying amount. At heel strike the leading
 * leg's force is added at its steepest (the loading response), so the total rises
 * fastest there: the maximum of the derivative of the vertical acceleration, the
 * marker of the McCamley / Paraschiv-Ionescu family of lower-back IC methods
 * (McCamley et al., Gait Posture 2012; Paraschiv-Ionescu et al., IEEE EMBC 2020:
 * IC at the minimum of the Gaussian-CWT of the integrated vertical acceleration,
 * i.e. the maximum of its smoothed derivative). Those methods smooth at the scale
 * of the step fundamental (CWT scale 9 at 40 Hz, Gaussian SD 0.16 s), which puts
 * the marker on the rise of the whole step wave, ~100 ms before IC (as mobgap
 * notes for its IcdIonescu); here the derivative is taken on the 60 ms triangle
 * of the detector (SD 12 ms), short against the ~100 ms loading response
 * (Perry & Burnfield, Gait Analysis 2010: loading response 0-10 % of the gait
 * cycle), so the kink of the heel strike is kept. A symmetric smoother spreads a
 * step of the slope symmetrically about the kink, and the smoothed slope reaches
 * its maximum only when the whole kernel is past it (half its support later): the
 * IC is where the smoothed slope is half way from its level one kernel support
 * before the maximum up to the maximum (linear interpolation). Returns -1 when no
 * rise is found. */
static double walk_ic(const gb_contacts *c, uint64_t k, uint64_t back)
{
  uint64_t jv = k, h = (c->w + 1) / 2;
  float mn = rv(c, c->sm, k);
  for (uint64_t j = k - back; j < k; j++) {
    float y = rv(c, c->sm, j);
    if (y < mn) { mn = y; jv = j; }
  }
  uint64_t lo = c->n > c->cap ? c->n - c->cap : 0;
  if (jv + 2 > k || jv < lo + h + 1) return -1;
  /* slope over +-h samples: the derivative of the triangle, smoothed once more by a
     boxcar of the same width (noise on the difference of neighbours at 100 Hz
     would otherwise dominate a rise of ~0.3 g) */
  uint64_t j_end = k + h < c->n_sm ? k : c->n_sm - h; /* j + h must be smoothed already */
  uint64_t jb = 0;
  double sb = 0;
  for (uint64_t j = jv + 1; j < j_end; j++) {
    double sl = (double)rv(c, c->sm, j + h) - (double)rv(c, c->sm, j - h);
    if (sl > sb) { sb = sl; jb = j; }
  }
  if (jb == 0) return -1;
  /* the kink: the smoothed slope crosses half way from its level before the
     rise (one kernel support, 2(w + h), before its maximum) to the maximum */
  uint64_t sup = 2 * (c->w + h);
  uint64_t j0 = jb > jv + 1 + sup ? jb - sup : jv + 1;
  double s_pre = (double)rv(c, c->sm, j0 + h) - (double)rv(c, c->sm, j0 - h);
  double half = 0.5 * (s_pre + sb);
  double sh = sb;
  for (uint64_t j = jb; j > j0; j--) {
    double sl = (double)rv(c, c->sm, j - 1 + h) - (double)rv(c, c->sm, j - 1 - h); /* at j - 1 */
    if (sl < half) return (double)(j - 1) + (half - sl) / (sh - sl);
    sh = sl;
  }
  return (double)j0;
}

/* walk_ic() of the rise ending at peak k, searched back at most half the expected
 * interval (and not past the previous contact). */
static double walk_ic_at(const gb_contacts *c, uint64_t k, double own_int)
{
  uint64_t lo = oldest(c);
  uint64_t bl = (uint64_t)fmin((double)(k - lo), fmin(0.5 * own_int, GB_CT_STANCE_MAX_S) * c->fs);
  if (c->have_last && k - c->last_k < bl) bl = k - c->last_k;
  return bl > 3 ? walk_ic(c, k, bl) : -1;
}

/* Initial contact of a walking step whose largest smoothed peak is k, in samples
 * (fractional), or -1: walk_ic() of the rise before k, or of an earlier loading
 * hump of the same step when that keeps the rhythm.
 * At the lower back a heel strike is often followed by two peaks 100-200 ms
 * apart (the loading peak, then a second one at the end of double support; the
 * vertical force of each leg has two humps, Alexander & Jayes, J Zool 1980), and
 * the second can be the taller: the IC then lies before the first, and taking
 * the rise of the second puts it late and makes the intervals alternate long /
 * short. But the trailing leg's push-off hump also comes just before the leading
 * heel strike (~50 % of its cycle; Perry & Burnfield 2010), so an earlier hump is
 * not always the step's own. Candidates: the local maxima within the detection
 * half-window D before k (peaks that close are one step for the detector), no
 * nearer the previous contact than D, that would themselves pass as a contact
 * next to k (at least GB_CT_REL_RISE of k's rise above 1 g, above the walking
 * floor). The earliest whose IC gives an interval from the previous IC closer to
 * the expected interval than k's IC does is taken (interval consistency with the
 * cadence track: a push-off hump shortens the step, a second loading hump
 * lengthens it). Only while the rhythm is established and the expected interval
 * is current: not when the last detected interval was more than
 * GB_CT_RHYTHM_AGREE longer than expected (the cadence track lags a slow-down, e.g.
 * a cool-down walk after running, and a short expected interval would favour the
 * push-off hump). */
double gb_ct_walk_step_ic(const gb_contacts *c, uint64_t k, double own_int)
{
  double on = walk_ic_at(c, k, own_int);
  if (on < 0 || !c->have_last || !c->rhythm) return on;
  if (c->n_steps >= 2 &&
      c->steps[c->n_steps - 1].t_s - c->steps[c->n_steps - 2].t_s > (1.0 + GB_CT_RHYTHM_AGREE) * own_int)
    return on;
  uint64_t lo = oldest(c) + 1, D = c->D;
  uint64_t j0 = k > lo + D ? k - D : lo;
  if (c->last_k + D > j0) j0 = c->last_k + D;
  float y = rv(c, c->sm, k);
  float need = maxf(c->thr_walk, 1.0f + (float)GB_CT_REL_RISE * (y - 1.0f));
  double e = own_int * c->fs;
  for (uint64_t j = j0 + 1; j + 1 < k; j++) {
    float v = rv(c, c->sm, j);
    if (!(v >= need && v >= rv(c, c->sm, j - 1) && v > rv(c, c->sm, j + 1))) continue;
    double onj = walk_ic_at(c, j, own_int);
    if (onj > c->last_ic && fabs(onj - c->last_ic - e) < fabs(on - c->last_ic - e)) return onj;
  }
  return on;
}

/* May a peak between thr_walk and thr be a contact? Only inside walking at a
 * trunk site: a step rhythm is established, or the previous contact lies within
 * GB_CT_WALK_GAP_STEPS slow steps before it. */
int gb_ct_walk_gate(const gb_contacts *c, uint64_t k)
{
  if (!c->trunk) return 0;
  if (c->rhythm) return 1;
  return c->have_last && (double)(k - c->last_k) <= c->walk_gap_s * c->fs;
}
