/* Trunk walking: where a step's initial contact lies on the loading rise, and
 * when a low peak may count as a step (the slow-walking floor). Split from
 * contacts.c so the walking rules can be read and changed on their own; the
 * detector state is in contacts_internal.h. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "gait/contacts_internal.h"
#include "util/select.h"

#define GB_CT_WALK_MIN_STEP_S 0.4 /* shortest walking step, s: walking cadence stays under
                                     ~150 steps/min (the walk-run transition lies near 2 m/s,
                                     Thorstensson & Roberthson, Acta Physiol Scand 1987, with
                                     steps of ~0.8 m there: 2.5 steps/s) */
#define GB_CT_WALK_LR_SHARE 0.2   /* the loading response, share of a step: 0-10 % of the
                                     gait cycle (Perry & Burnfield, Gait Analysis 2010), a
                                     cycle being two steps. A heel strike's transient peaks
                                     within it; a hump that rises for longer is a loading
                                     or push-off wave (hump_kind) */

#define GB_CT_WALK_RHYTHM_N 5   /* steps each side whose intervals give the local walking
                                     rhythm in gb_ct_walk_drop_fast (~3 s of walking: a median
                                     over up to 11 intervals ignores the odd pair) */

/* Initial contact of a walking step seen from the trunk, in samples (fractional):
 * the steepest point of the loading rise that ends at the smoothed peak k, searched
 * from the foot of that rise: the lowest smoothed sample before k, going back at
 * most `back` samples and not over an earlier hump (a peak that rises above the
 * running minimum by more than the smallest walking step, thr_walk - 1 g).
 * Why only the rise into k: an earlier hump separated from it by a dip is another
 * loading event (the trailing leg's push-off or heel-off, the end of terminal
 * swing), and it is often the sharper one, so the steepest slope over the whole
 * window put the IC on it, up to ~100 ms before the heel strike. Whether an
 * earlier hump is the step's own first loading hump (two-humped steps) is decided
 * by the rhythm in gb_ct_walk_step_ic(), which tries each one.
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
  float mn = rv(c, c->sm, k), dip = c->thr_walk - 1.0f;
  for (uint64_t j = k; j-- > k - back;) {
    float y = rv(c, c->sm, j);
    if (y < mn) { mn = y; jv = j; }
    else if (y > mn + dip) break; /* over an earlier hump: the rise into k starts at jv */
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

/* The step that makes peak k the first step of a walk, as a sample index, or 0:
 * a smoothed peak at the normal floor thr (a step that needs no walking
 * context), separated from k by a valley back towards 1 g (the detector's
 * valley test), within walk_gap_s after k; and the first peak after k that
 * could be a walking step at all (above thr_walk, valley-separated) lies at
 * least GB_CT_WALK_MIN_STEP_S after k. The lower bound keeps the push-off of
 * gait initiation out: the swing leg's push-off lifts the trunk one swing
 * (~0.3-0.4 s) before the first heel strike, with no double support between,
 * while two heel strikes are one whole step apart. Searched only inside the
 * look-ahead every candidate already waits for (la samples; at the end of the
 * recording, up to its last sample), so the answer does not depend on how the
 * input is cut into blocks. */
static uint64_t following_step(const gb_contacts *c, uint64_t k)
{
  uint64_t end = k + (uint64_t)(c->walk_gap_s * c->fs);
  if (c->la > 1 && k + c->la - 1 < end) end = k + c->la - 1;
  if (c->n_sm < 1 || end > c->n_sm - 1) end = c->n_sm - 1;
  uint64_t j_min = k + (uint64_t)ceil(GB_CT_WALK_MIN_STEP_S * c->fs);
  float y = rv(c, c->sm, k), mn = y;
  for (uint64_t j = k + 1; j < end; j++) {
    float v = rv(c, c->sm, j);
    mn = minf(mn, v);
    if (!(v >= c->thr_walk && v >= rv(c, c->sm, j - 1) && v > rv(c, c->sm, j + 1) &&
          mn <= 1.0f + 0.5f * (minf(y, v) - 1.0f)))
      continue;
    if (j < j_min) return 0; /* a step sooner than any walking step: k is no step's IC */
    if (v >= c->thr) return j;
  }
  return 0;
}

/* What the shape says of hump j (a smoothed local maximum before the step's
 * largest peak k, IC of its rise onj): 1 = the heel strike's transient, the
 * step's own first hump (the IC is onj); 0 = a push-off wave (the IC is not
 * onj); -1 = nothing (the rhythm decides, gb_ct_walk_step_ic).
 * It says something only when the trunk's vertical acceleration dips under
 * gravity between j and k, by more than the smallest walking lift (thr_walk -
 * 1 g, at least GB_CT_WALK_MIN_RISE_G and the noise floor: a dip counts as below
 * gravity when it is as deep as the smallest step counts as above it). Why: the
 * trailing leg's push-off and the leading leg's collision are one step-to-step
 * transition, in which the centre of mass's velocity is redirected from downward
 * to upward, so the vertical ground force exceeds body weight through it
 * (Donelan, Kram & Kuo, J Exp Biol 2002; Kuo, Hum Mov Sci 2007): a push-off that
 * ends in that transition runs into the loading rise without the trunk falling
 * under 1 g, and whether such a hump is the step's is left to the rhythm. Two humps with a
 * dip under gravity between them are two loading events, the body carried by
 * less than its weight between them:
 *  - the heel strike's transient, then the loading (a damped impact response
 *    swings under its baseline after its peak; the step starts at the foot of
 *    the transient). A transient peaks within the loading response (heel strike
 *    to the opposite toe-off, GB_CT_WALK_LR_SHARE of a step) after the foot of
 *    its rise (the heel-strike kink walk_ic() finds): 1;
 *  - a push-off wave in late single support that falls back under gravity before
 *    the heel strikes: it rises for longer than the loading response (the
 *    stance leg's force builds through terminal stance): 0.
 * Unlike the rhythm, the shape does not depend on the previous IC being right:
 * when every step of a walk has the same two humps, the interval between the
 * second humps of two steps is as regular as between their first ones, and the
 * walk's first steps, taken before any rhythm, put their ICs on the taller. */
static int hump_kind(const gb_contacts *c, uint64_t j, uint64_t k, double onj, double own_int)
{
  float low = 1.0f - (c->thr_walk - 1.0f), mn = rv(c, c->sm, k);
  mn = ring_min(c, c->sm, j + 1, k, mn);
  if (!(mn < low) || onj < 0) return -1;
  return (double)j - onj <= GB_CT_WALK_LR_SHARE * own_int * c->fs ? 1 : 0;
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
 * lengthens it). Only while the rhythm is established and the previous IC is the
 * previous step's (k's IC within two expected intervals of it: after a pause or a
 * missed step the interval says nothing about which hump is the step's). The
 * expected interval is the cadence track's, unless the last detected interval was
 * more than GB_CT_RHYTHM_AGREE longer (and not over twice as long: that is a pause,
 * and the rule is not applied): the track lags a slow-down by its window
 * (a cool-down walk after running, slowing into a turn), and a short expected
 * interval would favour the push-off hump; the interval expected then is the last
 * detected one (consecutive step times of a walk change little from one step to
 * the next: step-time CV ~2-3 %, Hausdorff 2005). Before, such steps took the
 * rise into the largest peak: two-humped steps after a slow-down (the second hump
 * the taller) put their ICs on the second hump, ~0.1 s late, until the track
 * caught up. Where the shape speaks (hump_kind: a dip under gravity between the
 * two humps) it overrides the rhythm: a push-off wave is never taken, whatever
 * the interval, and a heel strike's transient starts the step even when the
 * rhythm kept k's rise (the previous IC may itself lie on a second hump). */
double gb_ct_walk_step_ic(const gb_contacts *c, uint64_t k, double own_int)
{
  if (!c->rhythm) {
    /* no rhythm yet (the first steps of a walk): the expected interval is the
       detector's shortest, which would cut the loading rise of a walking step
       short; the interval to the step that follows is the step's own */
    uint64_t jn = following_step(c, k);
    if (jn > 0) own_int = fmax(own_int, (double)(jn - k) / c->fs);
  }
  double on = walk_ic_at(c, k, own_int);
  if (on < 0 || !c->have_last || !c->rhythm) return on;
  double e = own_int * c->fs;
  if (c->n_steps >= 2) {
    double last_iv = c->steps[c->n_steps - 1].t_s - c->steps[c->n_steps - 2].t_s;
    if (last_iv > 2.0 * own_int) return on; /* a pause, not a slower step */
    if (last_iv > (1.0 + GB_CT_RHYTHM_AGREE) * own_int) e = last_iv * c->fs;
  }
  if (on - c->last_ic > 2.0 * e) return on; /* a pause or a missed step since the previous IC */
  uint64_t lo = oldest(c) + 1, D = c->D;
  uint64_t j0 = k > lo + D ? k - D : lo;
  if (c->last_k + D > j0) j0 = c->last_k + D;
  float y = rv(c, c->sm, k);
  float need = maxf(c->thr_walk, 1.0f + (float)GB_CT_REL_RISE * (y - 1.0f));
  double onh = -1; /* the latest hump the shape calls the heel strike's transient */
  for (uint64_t j = j0 + 1; j + 1 < k; j++) {
    float v = rv(c, c->sm, j);
    if (!(v >= need && v >= rv(c, c->sm, j - 1) && v > rv(c, c->sm, j + 1))) continue;
    double onj = walk_ic_at(c, j, own_int);
    int kind = hump_kind(c, j, k, onj, own_int);
    if (kind == 1 && onj > c->last_ic) onh = onj;
    if (kind == 0) continue; /* a push-off wave, whatever the interval */
    if (onj > c->last_ic && fabs(onj - c->last_ic - e) < fabs(on - c->last_ic - e)) return onj;
  }
  /* the rhythm kept k's rise (or chose nothing the shape allows): a transient
     before a dip under gravity still starts the step */
  return onh >= 0 ? onh : on;
}

/* May a peak between thr_walk and thr be a contact? Only inside walking at a
 * trunk site: a step rhythm is established, or the previous contact lies within
 * GB_CT_WALK_GAP_STEPS slow steps before it, or (gait initiation) a step at the
 * normal floor follows within as long after it and within the detector's
 * look-ahead (following_step(): ~0.9 s without a cadence, more with one).
 * Why the last: the first step of a walk from standing is the smallest. The body
 * starts from rest, so the first step is shorter and slower and its vertical
 * ground reaction (hence the trunk's vertical acceleration) rises less than in
 * steady walking; steady-state speed is reached only after the first one or two
 * steps (Brenière & Do, J Biomech 1986; Jian et al., Gait Posture 1993). That
 * first step often peaks between the slow-walking floor and the 0.2 g floor, and
 * without a rhythm or a previous contact it was dropped, although the walk that
 * makes it a step is seen a moment later. The rule is the mirror of the
 * previous-contact one: a step is part of a walk when a step lies within
 * GB_CT_WALK_GAP_STEPS slow steps of it, before or after. */
int gb_ct_walk_gate(const gb_contacts *c, uint64_t k)
{
  if (!c->trunk) return 0;
  if (c->rhythm) return 1;
  if (c->have_last && (double)(k - c->last_k) <= c->walk_gap_s * c->fs) return 1;
  return following_step(c, k) > 0;
}

/* A faint step of an established walking rhythm: a smoothed peak k under the
 * walking floor thr_walk (the previous ones were still steps) that is a contact
 * when
 *  (a) the rhythm is established (cadence hint or consistent recent intervals)
 *      and k lies one expected interval after the previous contact, within
 *      GB_CT_RHYTHM_AGREE (step-time CV ~2-3 % in healthy walking, Hausdorff
 *      2005: 15 % is > 5 SD; a swing-phase bump or a push-off hump lies near
 *      half an interval, standing sway has no previous contact one interval
 *      back, and a first faint bump more than that after the walk's last step
 *      cannot start a chain);
 *  (b) it rises above gravity (1 g: the double-support lift of a step that
 *      averages 1 g);
 *  (c) it swings up from the lowest smoothed value since the previous contact
 *      (the single-support valley) by at least twice the walking floor
 *      (thr_walk - 1 g, GB_CT_WALK_MIN_RISE_G or the noise floor). Why: in
 *      inverted-pendulum walking (Cavagna et al. 1977; Kuo 2007) the trunk
 *      dips below 1 g in single support by ~v^2/L and is lifted above it in
 *      double support; in slow, cautious or turning steps (daily life) the
 *      whole oscillation can sit a little low on the sensor's vertical (a
 *      tilted trunk reads gravity times the cosine of the tilt, and
 *      deceleration into a turn lowers the double-support peak), so the lift
 *      above 1 g can fall under the floor while the step's swing is still
 *      twice it: the floor and the dip below gravity together.
 * The other tests of a contact (largest within ±D, the relative rise within
 * one interval, the valley back towards 1 g) apply as to any peak. */
int gb_ct_walk_faint(const gb_contacts *c, uint64_t k)
{
  if (!gb_ct_walk_faint_possible(c) || k <= c->last_k) return 0;
  float y = rv(c, c->sm, k);
  if (!(y > 1.0f)) return 0;
  double dt = (double)(k - c->last_k) / c->fs;
  if (dt < (1.0 - GB_CT_RHYTHM_AGREE) * c->own || dt > (1.0 + GB_CT_RHYTHM_AGREE) * c->own) return 0;
  uint64_t j0 = c->last_k > oldest(c) ? c->last_k : oldest(c);
  float mn = y;
  mn = ring_min(c, c->sm, j0, k, mn);
  return y - mn >= 2.0f * (c->thr_walk - 1.0f);
}

int gb_ct_walk_faint_window(const gb_contacts *c, uint64_t *lo, uint64_t *hi)
{
  if (!gb_ct_walk_faint_possible(c)) return 0;
  double a = (1.0 - GB_CT_RHYTHM_AGREE) * c->own * c->fs, b = (1.0 + GB_CT_RHYTHM_AGREE) * c->own * c->fs;
  *lo = c->last_k + (uint64_t)floor(a) - (a >= 1.0 ? 1 : 0);
  *hi = c->last_k + (uint64_t)ceil(b) + 1;
  return 1;
}

/* Median of the step intervals (at most max_step_s: longer ones are pauses) within
 * GB_CT_WALK_RHYTHM_N steps of step i, or 0 when fewer than 3 (with fewer, the
 * close pair's own interval could be the median: no rhythm to judge it by). */
static double local_rhythm(const gb_step *s, size_t m, size_t i, double max_step_s)
{
  double buf[2 * GB_CT_WALK_RHYTHM_N + 1];
  size_t j0 = i > GB_CT_WALK_RHYTHM_N ? i - GB_CT_WALK_RHYTHM_N : 1;
  size_t j1 = i + GB_CT_WALK_RHYTHM_N < m ? i + GB_CT_WALK_RHYTHM_N : m - 1, nb = 0;
  for (size_t j = j0; j <= j1; j++) {
    double d = s[j].t_s - s[j - 1].t_s;
    if (d > 0 && d <= max_step_s) buf[nb++] = d;
  }
  return nb < 3 ? 0 : gb_median_d_inplace(buf, nb);
}

/* Two walking contacts (contact time NaN: no flight seen, or none measured; the
 * rhythm test below keeps running steps) closer than the shortest
 * walking step, GB_CT_WALK_MIN_STEP_S, inside a walking rhythm cannot both be heel
 * strikes: the weaker (smaller peak_g) is dropped. Why: the detector keeps the
 * largest peak within ±D, D = min_step_fraction of the expected interval; in slow
 * or turning steps a step's second loading event (a pivot, the trailing leg's
 * push-off) can lie just past D, inside the step, and both were reported. Walking
 * cadence stays under ~150 steps/min (Thorstensson & Roberthson 1987, see
 * GB_CT_WALK_MIN_STEP_S), and the heel strike's loading response makes the
 * step's largest vertical trunk peak (Zijlstra & Hof, Gait Posture 2003), as
 * examine() assumes within ±D. Applied only where the local rhythm (median of the
 * surrounding intervals, local_rhythm) is a walking one, at least
 * GB_CT_WALK_MIN_STEP_S, and the pair's interval is also shorter than it by more
 * than GB_CT_RHYTHM_AGREE (step-to-step variability, Hausdorff 2005): a jog whose
 * flight was not seen keeps its steps. The survivor of a pair is not paired again
 * (at most one contact of each close pair goes, no cascade). The kept neighbour whose vertical
 * excursion ended at the dropped contact gets NaN; sides alternate again.
 * max_step_s: the slowest step searched (longer intervals are pauses). */
int gb_ct_walk_drop_fast(gb_step *s, size_t *n, double max_step_s)
{
  const size_t m = *n;
  if (m < 3) return 0;
  /* decide on the table as detected (the rhythm reads the original intervals),
     then compact */
  unsigned char *keep = malloc(m);
  if (!keep) return -1;
  size_t last = 0; /* the last kept step */
  int dropped = 0, won = 0; /* won: s[last] is the survivor of a pair */
  keep[0] = 1;
  for (size_t i = 1; i < m; i++) {
    keep[i] = 1;
    gb_step *p = &s[last];
    double d = s[i].t_s - p->t_s;
    if (!won && isnan(s[i].contact_time_ms) && isnan(p->contact_time_ms) && d < GB_CT_WALK_MIN_STEP_S) {
      double M = local_rhythm(s, m, i, max_step_s);
      if (M >= GB_CT_WALK_MIN_STEP_S && d < (1.0 - GB_CT_RHYTHM_AGREE) * M) {
        dropped = won = 1;
        if (s[i].peak_g > p->peak_g) { /* the later is the heel strike */
          for (size_t j = last; j-- > 0;)
            if (keep[j]) { s[j].vertical_osc_cm = NAN; break; } /* it ended at the dropped one */
          keep[last] = 0;
          last = i;
        } else {
          p->vertical_osc_cm = NAN; /* it ended at the dropped one */
          keep[i] = 0;
        }
        continue;
      }
    }
    won = 0;
    last = i;
  }
  size_t k = 0;
  for (size_t i = 0; i < m; i++)
    if (keep[i]) s[k++] = s[i];
  free(keep);
  if (dropped && s[0].side >= 0)
    for (size_t j = 1; j < k; j++) s[j].side = (int8_t)(s[0].side ^ (int8_t)(j & 1));
  *n = k;
  return 0;
}
