/* Foot contacts and per-step impact features, streaming at the full sample rate.
 *
 * Detection: the vertical acceleration is smoothed with a symmetric triangular
 * kernel (two running boxcars, exact delay compensation, so timing is unbiased).
 * A contact is the largest smoothed peak within ±D samples, D = min_step_fraction ×
 * the expected interval between the contacts the sensor sees (the cadence hint,
 * or the recent detected intervals while the hint lags behind a change of pace),
 * higher than 1 g + GB_CT_MIN_RISE_G (at a trunk site inside walking: the lower
 * slow-walking floor GB_CT_WALK_MIN_RISE_G, see min_rise; within an established
 * rhythm, one step interval after the previous contact: any peak above 1 g that
 * swings up from the single-support valley by twice that floor, see
 * gb_ct_walk_faint), and separated from the previous contact by a valley (the
 * signal drops back towards 1 g between two steps).
 *
 * Which contacts are reported: trunk, sacrum, wrist and unknown sites see both legs
 * and report every step with side alternating 0/1. Tibia, foot and thigh sensors
 * report their OWN leg's contacts only (side 0, expected interval = one stride):
 * the other leg's contact is strongly attenuated at the shank and is not separable
 * from swing-phase accelerations without a gyroscope, so it is not reported.
 *
 * Initial contact (IC):
 *  - trunk/sacrum in running (flight phase seen: the signal stays below
 *    GB_CT_FLIGHT_G for GB_CT_FLIGHT_MIN_S between steps): spring-mass half-sine model of the vertical
 *    force (Morin et al., J Appl Biomech 2005 sine-wave model). Stance is the half
 *    sine of peak P; the part above 1 g lasts tc·(1 − (2/π)·asin(1/P)), so the 1 g
 *    up/down crossings around the loading peak and P give the contact time tc and
 *    IC = centre − tc/2. This is the "vertical acceleration rise" family of sacrum
 *    methods (Auvinet, Lee; Kiernan et al., Sensors 2023) with a physical model
 *    for where the rise starts; the IC itself is the foot of the loading edge
 *    (stance_ic). A contact cut by the end of the recording is decided at flush
 *    from the rise out of flight (tail_contact).
 *  - trunk/sacrum in walking (no flight): IC = the heel-strike kink of the loading
 *    rise, where the derivative of the smoothed vertical acceleration steps up
 *    (walk_ic: the derivative marker of McCamley et al. 2012 / Paraschiv-Ionescu
 *    et al. 2020 at the scale of the loading response instead of the step), on
 *    the step's first loading hump when the step has two and the rhythm or the
 *    dip under gravity between them says so (gb_ct_walk_step_ic, hump_kind);
 *    contact time NaN (double support cannot be resolved from one vertical axis).
 *  - shank/foot/thigh: impact peak minus its onset: the line through the 30 % and
 *    70 % points of the impact rise extrapolated to the pre-impact minimum;
 *    contact time NaN.
 *
 * Impact features: peak_g = raw maximum of the vertical acceleration in stance
 * (PTA for tibia sensors), loading rate = rise from IC to the peak / time to peak,
 * impact_ratio = energy in the impact band over the energy in the active band
 * of the first GB_CT_IMPACT_WIN_S after IC, from a 1 Hz-grid DFT of the
 * window measured from the contact level (the band-averaged PSD method of
 * Shorten & Winslow 1992, Mercer et al. 2002: 1 Hz bins). Landing: rearfoot when
 * impact_ratio ≥ landing_ratio_threshold (a heel
 * strike has a distinct 10–20 Hz impact transient; midfoot/forefoot landings put
 * their energy in 4–7 Hz: Hamill et al. via LER; Giandolini et al. 2014).
 * Vertical oscillation (trunk/sacrum): double integration of (vert − 1 g) between
 * consecutive ICs with mean and linear-trend removal after each integration
 * (sensorRUN comExcursion, Gurchiek), peak-to-peak in cm.
 *
 * Memory: a ring buffer of GB_CT_BUF_S seconds (a power of two, indexed by mask)
 * and the phasor table of the impact DFT (bins × window, fixed by the rate); only
 * the step table grows. Cost: the detector constants (expected interval, windows,
 * noise threshold) are refreshed when their inputs change, not per sample; the
 * noise median is a selection, not a sort. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaitbatch/status.h"
#include "gait/contacts_internal.h"
#include "util/simd.h"
#include "util/errbuf.h"
#include "util/select.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define GB_CT_BUF_S 8.0         /* look-back + look-ahead held, s (≥ 2 slow strides + windows) */
#define GB_CT_MIN_RISE_G 0.2    /* smallest step peak above 1 g: walking trunk peaks are
                                   ~0.2–0.5 g above gravity (Zijlstra & Hof, Gait Posture 2003) */
#define GB_CT_FLIGHT_G 0.4      /* below this between steps = flight (free fall reads 0 g) */
#define GB_CT_FLIGHT_MIN_S 0.03 /* ... for at least this long, s: running flight lasts 50-150 ms
                                   (Cavagna et al., J Physiol 1988; Morin et al. 2005), while
                                   vigorous walking can dip below 0.4 g for a sample or two */
#define GB_CT_ONSET_BACK_S 0.08 /* shank: the impact rise is searched this far back, s */
#define GB_CT_IMPACT_WIN_S 0.15 /* window after IC for the impact/active spectrum, s */
#define GB_CT_EDGE_LO 0.6       /* lower level of the loading edge, share of flight → 1 g:
                                   above the pre-contact pelvis rise (≤ 0.5 g on the alcantara
                                   trials), on the near-linear start of a half-sine force
                                   (Blickhan 1989 spring-mass: 0.6 g ~20 ms after contact) */
#define GB_CT_MAX_D_S 1.8       /* cap on the detection half-window, s */
#define GB_CT_CLIP_FRAC 0.98    /* peak within 2 % of full scale = clipped */
#define GB_CT_REL_WIN_S 1.2     /* cap of the neighbourhood of the GB_CT_REL_RISE test, s */
#define GB_CT_NOISE_K 6.0       /* a peak must rise 6 noise SDs above 1 g (Gaussian
                                   false-alarm probability ~1e-9 per sample) */
#define GB_CT_WALK_MIN_RISE_G 0.05 /* smallest step peak above 1 g at a trunk site inside
                                   walking (walk_gate: cadence hint, consistent recent
                                   intervals, or a recent contact). Inverted-pendulum walking (Cavagna et al., Am J
                                   Physiol 1977; Kuo, Hum Mov Sci 2007): in single support the
                                   CoM accelerates down by v^2/L, and because the step mean is
                                   1 g the double support must lift it by at least
                                   (v^2/gL)(t_ss/t_ds) on average. At a slow 0.5 m/s (L 0.9 m,
                                   t_ss/t_ds 2-4) that is 0.06-0.11 g: 0.05 g keeps the slowest
                                   gait while the noise term below still rejects sensor noise */
#define GB_CT_WALK_GAP_STEPS 2.0 /* ... or the previous contact lies within this many step
                                   intervals at the slowest cadence searched (cadence_min_spm,
                                   60 spm by default): one undetectable step of a slow walk
                                   does not end the walk */

static int dft_setup(gb_contacts *c);

gb_contacts *gb_contacts_create(const gb_analysis_params *p, const gb_analyzer_input *in)
{
  if (!p || !in || !(in->sample_rate_hz > 0) || (in->channels != 1 && in->channels != 3))
    return NULL;
  gb_contacts *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->fs = in->sample_rate_hz;
  c->loc = in->location;
  c->channels = in->channels;
  c->full_scale = in->full_scale_g;
  c->unilateral = gb_location_is_unilateral(in->location);
  c->trunk = in->location == GB_LOC_SACRUM || in->location == GB_LOC_TRUNK;
  c->frac = p->min_step_fraction;
  c->cad_max = p->cadence_max_spm > 0 ? p->cadence_max_spm : 250;
  c->walk_gap_s = GB_CT_WALK_GAP_STEPS * 60.0 / (p->cadence_min_spm > 0 ? p->cadence_min_spm : 60);
  c->lo_i = p->impact_band_lo_hz; c->hi_i = p->impact_band_hi_hz;
  c->lo_a = p->active_band_lo_hz; c->hi_a = p->active_band_hi_hz;
  c->ratio_thr = p->landing_ratio_threshold;
  /* the impact band must lie below Nyquist and the rate reach the configured minimum */
  c->impact_ok = c->fs >= p->impact_min_rate_hz && c->hi_i < 0.5 * c->fs;
  /* Landing from the impact transient is validated at the shank/foot only (tibial
     accelerometry ~90 %, Mahoney et al. 2024; heel/metatarsal timing, Giandolini et
     al. 2014). At the trunk the stance pulse dominates the 4–8 Hz band and no
     sacrum-only method is published (research notes §3): not classified there. */
  c->landing_ok = c->impact_ok && c->unilateral;
  if (!c->impact_ok)
    snprintf(c->note, sizeof c->note,
             "rate %.0f Hz < %.0f Hz: no impact ratio or landing pattern (impact band %.0f-%.0f Hz)",
             c->fs, p->impact_min_rate_hz, c->lo_i, c->hi_i);
  else if (in->location == GB_LOC_WRIST)
    snprintf(c->note, sizeof c->note, "wrist sensor: landing pattern cannot be told");
  else if (in->location == GB_LOC_UNKNOWN)
    snprintf(c->note, sizeof c->note, "sensor location unknown: landing pattern not classified");
  else if (!c->unilateral)
    snprintf(c->note, sizeof c->note,
             "%s sensor: landing pattern not classified (no validated trunk method)",
             gb_location_name(in->location));
  {
    size_t need = (size_t)ceil(GB_CT_BUF_S * c->fs) + 16, cap = 64;
    while (cap < need) cap <<= 1;
    c->cap = cap;
    c->mask = (uint64_t)cap - 1;
  }
  /* triangle of total width ~60 ms for trunk sites (keeps the 2–8 Hz stance shape),
     ~8 ms for distal sites (keeps the impact peak) */
  double half = c->unilateral ? 0.004 : 0.03;
  c->w = (size_t)lround(half * c->fs);
  if (c->w < 1) c->w = 1;
  double wd = (double)c->w;
  c->noise_gain = sqrt((2.0 * wd * wd + 1.0) / (3.0 * wd * wd * wd));
  c->blk = (size_t)lround(c->fs) > 8 ? (size_t)lround(c->fs) : 8;
  c->d2 = calloc((GB_CT_NOISE_BLOCKS + 1) * c->blk, sizeof(float));
  c->d2_cur = c->d2;
  c->slot_next = 1;
  {
    /* the lowest physiological floor this site uses (min_rise): a noise SD whose
       GB_CT_NOISE_K multiple stays below it, with a 1e-6 margin for rounding,
       changes no floor, so such a block's median needs no exact value */
    double h_low = c->trunk ? GB_CT_WALK_MIN_RISE_G : GB_CT_MIN_RISE_G;
    c->sig_low = h_low * (1.0 - 1e-6) / (GB_CT_NOISE_K * c->noise_gain);
    c->d2_low = (float)(c->sig_low * (0.6745 * sqrt(6.0)) * (1.0 - 1e-6));
  }
  c->v = calloc(c->cap, sizeof(float));
  c->amax = calloc(c->cap, sizeof(float));
  c->b1 = calloc(c->cap, sizeof(float));
  c->sm = calloc(c->cap, sizeof(float));
  c->nw = (size_t)lround(GB_CT_IMPACT_WIN_S * c->fs);
  if (!c->v || !c->amax || !c->b1 || !c->sm || !c->d2 || (c->impact_ok && dft_setup(c) < 0)) {
    gb_contacts_free(c);
    return NULL;
  }
  return c;
}

/* ---- expected interval and detection half-window ------------------------ */

static double median_small(const double *x, int n)
{
  double t[GB_CT_NREC];
  for (int i = 0; i < n; i++) t[i] = x[i];
  for (int i = 1; i < n; i++) { /* insertion sort: n ≤ 6 */
    double y = t[i];
    int j = i - 1;
    while (j >= 0 && t[j] > y) { t[j + 1] = t[j]; j--; }
    t[j + 1] = y;
  }
  return n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
}

/* Median of the recent detected intervals when they form a consistent rhythm
 * (at least 3, spread under 30 % of the median), else 0. */
static double recent_rhythm(const gb_contacts *c)
{
  if (c->n_rec < 3) return 0;
  double mn = c->rec[0], mx = c->rec[0];
  for (int i = 1; i < c->n_rec; i++) {
    if (c->rec[i] < mn) mn = c->rec[i];
    if (c->rec[i] > mx) mx = c->rec[i];
  }
  double med = median_small(c->rec, c->n_rec);
  return (mx - mn) < 0.3 * med ? med : 0;
}

/* Expected interval between the contacts this sensor reports, s. */
static double expected_interval(const gb_contacts *c)
{
  double mult = c->unilateral ? 2.0 : 1.0;
  double own_min = mult * 60.0 / c->cad_max;
  double recent = recent_rhythm(c);
  double own;
  if (c->hint_spm > 0) {
    own = mult * 60.0 / c->hint_spm;
    /* the cadence track lags a pace change by its window: follow a consistent faster rhythm */
    if (recent > 0 && recent < 0.8 * own) own = fmax(recent, 0.5 * own);
  } else {
    own = recent > 0 ? recent : own_min;
  }
  return fmax(own, own_min);
}

/* ---- feature helpers ------------------------------------------------------ */

/* Onset of the rise that ends at peak index kp, searched at most `back` samples
 * back in a[]: the line through the 30 % and 70 % crossings of the rise (from the
 * pre-rise level to the peak) extrapolated to 0 % — robust to noise on the
 * baseline, exact for a linear edge. Returns a fractional index, or -1 when the
 * rise is cut by the window start. */
static double rise_onset(const gb_contacts *c, const float *a, uint64_t kp, uint64_t back)
{
  float pk = rv(c, a, kp), mn = pk;
  mn = ring_min(c, a, kp - back, kp + 1, mn);
  /* baseline: mean of the samples in the lowest fifth of the range (noise on a
     flat pre-contact level would bias a plain minimum) */
  double sb = 0, lim = mn + 0.2 * (pk - mn);
  size_t nbs = 0;
  for (uint64_t j = kp - back; j <= kp; j++)
    if (rv(c, a, j) <= lim) { sb += rv(c, a, j); nbs++; }
  double base = nbs ? sb / (double)nbs : mn;
  double lv[2] = {base + 0.7 * (pk - base), base + 0.3 * (pk - base)}, tx[2];
  uint64_t from = kp;
  for (int q = 0; q < 2; q++) {
    tx[q] = -1;
    for (uint64_t j = from; j > kp - back; j--) {
      double y0 = rv(c, a, j - 1), y1 = rv(c, a, j);
      if (y0 <= lv[q] && y1 > lv[q]) { tx[q] = (double)(j - 1) + (lv[q] - y0) / (y1 - y0); from = j; break; }
    }
    if (tx[q] < 0) return -1;
  }
  double ic = tx[1] - (tx[0] - tx[1]) * (0.3 / 0.4);
  double earliest = (double)(kp - back);
  return ic < earliest ? earliest : ic;
}

/* Contact time (s) of a half-sine vertical force of peak P (g) whose part above
 * 1 g lasts d1 (s): the half sine exceeds 1 g for tc·(1 − (2/π)·asin(1/P)). */
static double halfsine_contact(double d1, double P)
{
  if (!(d1 > 0) || !(P > 1.0)) return NAN;
  return d1 / (1.0 - (2.0 / M_PI) * asin(1.0 / P));
}

/* Energy in the impact band over the energy in the active band: the PSD summed
 * over 1 Hz bins in each band (the 1 Hz-bin PSD of Shorten & Winslow 1992 /
 * Mercer et al. 2002) of x[0..nw), the window that starts at initial contact.
 * 1 = equal energy, the config default landing_ratio_threshold.
 * The contact level `base` is subtracted (the transient is measured from the level
 * at contact; a least-squares line would turn a smooth loading bump into
 * spurious 10-20 Hz content), and the second half of the window is tapered with
 * a half cosine so that cutting through the stance does not leak. The bins, the
 * taper and the phasors are fixed by the rate: set up once by dft_setup(). */
static double band_ratio(const gb_contacts *c, const double *x, double base)
{
  const size_t n = c->nw;
  const int nbins = c->n_bins;
  double *y = c->yw, e[64];
  for (size_t i = 0; i < n; i++) y[i] = (x[i] - base) * c->taper[i];
  int b = 0;
  if (c->cs) {
    /* four bins per pass: each bin's sums keep their order (same values as one
       bin at a time), and the four independent chains overlap in the pipeline */
    for (; b + 4 <= nbins; b += 4) {
      const double *c0 = c->cs + (size_t)b * n, *s0 = c->sn + (size_t)b * n;
      double r0 = 0, r1 = 0, r2 = 0, r3 = 0, i0 = 0, i1 = 0, i2 = 0, i3 = 0;
      for (size_t i = 0; i < n; i++) {
        const double yi = y[i];
        r0 += yi * c0[i];
        i0 -= yi * s0[i];
        r1 += yi * c0[n + i];
        i1 -= yi * s0[n + i];
        r2 += yi * c0[2 * n + i];
        i2 -= yi * s0[2 * n + i];
        r3 += yi * c0[3 * n + i];
        i3 -= yi * s0[3 * n + i];
      }
      e[b] = r0 * r0 + i0 * i0;
      e[b + 1] = r1 * r1 + i1 * i1;
      e[b + 2] = r2 * r2 + i2 * i2;
      e[b + 3] = r3 * r3 + i3 * i3;
    }
  }
  for (; b < nbins; b++) {
    double re = 0, im = 0;
    if (c->cs) {
      const double *cs = c->cs + (size_t)b * n, *sn = c->sn + (size_t)b * n;
      for (size_t i = 0; i < n; i++) {
        re += y[i] * cs[i];
        im -= y[i] * sn[i];
      }
    } else {
      double wstep = 2.0 * M_PI * c->bin_f[b] / c->fs;
      for (size_t i = 0; i < n; i++) {
        re += y[i] * cos(wstep * (double)i);
        im -= y[i] * sin(wstep * (double)i);
      }
    }
    e[b] = re * re + im * im;
  }
  double e_i = 0, e_a = 0;
  int n_i = 0, n_a = 0;
  for (b = 0; b < nbins; b++) {
    if (c->bin_i[b]) { e_i += e[b]; n_i++; }
    if (c->bin_a[b]) { e_a += e[b]; n_a++; }
  }
  if (n_i == 0 || n_a == 0) return NAN;
  if (!(e_a > 0)) return e_i > 0 ? INFINITY : NAN;
  return e_i / e_a;
}

/* Phasor tables above this many doubles are not kept (rates far above any gait
 * sensor): band_ratio() then evaluates sin/cos per step. */
#define GB_CT_DFT_TABLE_MAX 262144

/* The 1 Hz bins of both bands, the half-cosine taper of the second half of the
 * window, and the phasor table of each bin. Returns -1 on memory failure. */
static int dft_setup(gb_contacts *c)
{
  size_t n = c->nw;
  if (n == 0) return 0;
  double f_lo = fmin(c->lo_a, c->lo_i), f_hi = fmax(c->hi_a, c->hi_i);
  c->n_bins = 0;
  for (double f = ceil(f_lo); f <= f_hi + 1e-9 && c->n_bins < 64; f += 1.0) {
    int in_i = f >= c->lo_i - 1e-9 && f <= c->hi_i + 1e-9, in_a = f >= c->lo_a - 1e-9 && f <= c->hi_a + 1e-9;
    if (!in_i && !in_a) continue;
    c->bin_f[c->n_bins] = f;
    c->bin_i[c->n_bins] = (unsigned char)in_i;
    c->bin_a[c->n_bins] = (unsigned char)in_a;
    c->n_bins++;
  }
  c->taper = malloc(n * sizeof(double));
  c->xw = malloc(n * sizeof(double));
  c->yw = malloc(n * sizeof(double));
  if (!c->taper || !c->xw || !c->yw) return -1;
  size_t nt = n / 2;
  for (size_t i = 0; i < n; i++)
    c->taper[i] = i >= n - nt ? 0.5 * (1.0 + cos(M_PI * (double)(i - (n - nt) + 1) / (double)(nt + 1))) : 1.0;
  if ((size_t)c->n_bins * n > GB_CT_DFT_TABLE_MAX) return 0;
  c->cs = malloc((size_t)c->n_bins * n * sizeof(double));
  c->sn = malloc((size_t)c->n_bins * n * sizeof(double));
  if (!c->cs || !c->sn) return -1;
  for (int b = 0; b < c->n_bins; b++) {
    double wstep = 2.0 * M_PI * c->bin_f[b] / c->fs;
    for (size_t i = 0; i < n; i++) {
      c->cs[(size_t)b * n + i] = cos(wstep * (double)i);
      c->sn[(size_t)b * n + i] = sin(wstep * (double)i);
    }
  }
  return 0;
}

/* Vertical CoM excursion between samples i0 and i1 (cm), NaN when unavailable.
 * One step is one period of the vertical motion: removing the mean acceleration
 * (sensor offset, gravity error) makes the velocity return to its start value, and
 * removing the mean velocity makes the position return too, so the double
 * integral needs no further drift model (per-step detrend; cf. sensorRUN
 * comExcursion, Gurchiek). */
static float vertical_osc(gb_contacts *c, uint64_t i0, uint64_t i1)
{
  if (i1 <= i0 + 4 || i1 > c->n || c->n - i0 > c->cap) return NAN;
  size_t m = (size_t)(i1 - i0);
  if (m > c->osc_cap) { /* grows to the longest step once, not one allocation per step */
    double *t = realloc(c->osc, m * sizeof(double));
    if (!t) return NAN;
    c->osc = t;
    c->osc_cap = m;
  }
  double *a = c->osc;
  double mean = 0;
  for (size_t i = 0; i < m; i++) {
    a[i] = ((double)rv(c, c->v, i0 + i) - 1.0) * GB_STANDARD_GRAVITY;
    mean += a[i];
  }
  mean /= (double)m;
  double dt = 1.0 / c->fs, vel = 0, vmean = 0;
  for (size_t i = 0; i < m; i++) { /* rectangle rule: exact sum, returns to 0 */
    vel += (a[i] - mean) * dt;
    a[i] = vel;
    vmean += vel;
  }
  vmean /= (double)m;
  double pos = 0, lo = 0, hi = 0;
  for (size_t i = 0; i < m; i++) {
    pos += (a[i] - vmean) * dt;
    if (pos < lo) lo = pos;
    if (pos > hi) hi = pos;
  }
  return (float)((hi - lo) * 100.0);
}

static int push_step(gb_contacts *c, const gb_step *s)
{
  if (c->n_steps == c->cap_steps) {
    size_t nc = c->cap_steps ? 2 * c->cap_steps : 256;
    gb_step *t = realloc(c->steps, nc * sizeof *t);
    if (!t) return -1;
    c->steps = t;
    c->cap_steps = nc;
  }
  c->steps[c->n_steps++] = *s;
  return 0;
}

/* Initial contact of a running stance seen from the trunk, in samples
 * (fractional): where the vertical force lifts the sensor off its flight level.
 * In flight the sensor reads its free-fall level `base` (≈ 0 g); from IC the
 * ground reaction lifts it to body weight (1 g) within a few tens of ms. The
 * loading edge is the line through the first up-crossing of 1 g after the flight
 * minimum and the last up-crossing of base + GB_CT_EDGE_LO·(1 g − base) before it
 * (raw vertical), extrapolated to `base`; for a half-sine force of peak 2–3 g this
 * lands within ~2 ms of the true contact. Unlike the symmetric half-sine fit of
 * the 1 g crossings it does not assume the force is symmetric about mid-stance:
 * real loading rises faster than it unloads (impact peak), which put the fitted IC
 * ~20 ms early on both the alcantara force-plate trials and the synthetic suite.
 * The last (not the first) lower crossing skips the slow pre-contact rise of the
 * pelvis that real trunk signals show before the foot lands (up to ~0.5 g, 50–70 ms
 * ahead of the force on some alcantara trials). Returns -1 when no flight or edge
 * is found before peak index k. */
static int stance_ic(const gb_contacts *c, uint64_t k, double t_up, uint64_t back_lim, double *ic)
{
  if (isnan(t_up)) return -1;
  /* flight before: from t_up back while the smoothed signal stays below 1 g */
  uint64_t ju = (uint64_t)floor(t_up), m0 = ju;
  for (uint64_t j = ju; j > k - back_lim && rv(c, c->sm, j) < 1.0f; j--)
    if (rv(c, c->sm, j) < rv(c, c->sm, m0)) m0 = j;
  float b0 = rv(c, c->sm, m0);
  if (!(b0 < GB_CT_FLIGHT_G) || m0 >= k) return -1;
  double lo = b0 + GB_CT_EDGE_LO * (1.0 - b0), xa = -1, xb = -1;
  uint64_t jb = 0;
  for (uint64_t j = m0 + 1; j <= k; j++) {
    double y0 = rv(c, c->v, j - 1), y1 = rv(c, c->v, j);
    if (y0 < 1.0 && y1 >= 1.0) { xb = (double)(j - 1) + (1.0 - y0) / (y1 - y0); jb = j; break; }
  }
  if (xb < 0) return -1;
  for (uint64_t j = jb; j > m0; j--) {
    double y0 = rv(c, c->v, j - 1), y1 = rv(c, c->v, j);
    if (y0 < lo && y1 >= lo) { xa = (double)(j - 1) + (lo - y0) / (y1 - y0); break; }
  }
  if (xa < 0 || !(xb > xa)) return -1;
  *ic = xa - (xb - xa) * (GB_CT_EDGE_LO / (1.0 - GB_CT_EDGE_LO));
  if (*ic < (double)m0) *ic = (double)m0;
  return 0;
}

/* ---- one candidate -------------------------------------------------------- */

static int accept(gb_contacts *c, uint64_t k, double own_int, double ic_forced)
{
  double fs = c->fs;
  uint64_t lo = oldest(c);
  uint64_t hi = c->n_sm; /* exclusive */
  float pk = rv(c, c->sm, k);
  double ic, ct = NAN;
  uint64_t back_lim = (uint64_t)fmin((double)(k - lo), GB_CT_STANCE_MAX_S * fs);
  if (c->have_last && k - c->last_k < back_lim) back_lim = k - c->last_k;

  if (!isnan(ic_forced)) {
    ic = ic_forced; /* decided by the caller (a contact cut by the end of the recording) */
  } else if (!c->unilateral) {
    /* 1 g crossings around the loading peak */
    double t_up = NAN, t_dn = NAN;
    for (uint64_t j = k; j > k - back_lim; j--) {
      float a0 = rv(c, c->sm, j - 1), a1 = rv(c, c->sm, j);
      if (a0 < 1.0f && a1 >= 1.0f) { t_up = (double)(j - 1) + (1.0 - a0) / (double)(a1 - a0); break; }
    }
    uint64_t fwd_end = k + (uint64_t)(GB_CT_STANCE_MAX_S * fs);
    if (fwd_end > hi - 1) fwd_end = hi - 1;
    for (uint64_t j = k; j < fwd_end; j++) {
      float a0 = rv(c, c->sm, j), a1 = rv(c, c->sm, j + 1);
      if (a0 >= 1.0f && a1 < 1.0f) { t_dn = (double)j + (a0 - 1.0) / (double)(a0 - a1); break; }
    }
    /* flight: the signal stayed near free fall for at least GB_CT_FLIGHT_MIN_S
       within one interval before the peak */
    uint64_t fl = (uint64_t)fmin((double)(k - lo), own_int * fs), run = 0;
    const uint64_t need = (uint64_t)ceil(GB_CT_FLIGHT_MIN_S * fs);
    int flight = need == 0;
    for (uint64_t j = k - fl; j < k && !flight; j++) {
      run = rv(c, c->sm, j) < GB_CT_FLIGHT_G ? run + 1 : 0;
      flight = run >= need;
    }
    if (isnan(t_up)) {
      if (k - back_lim == 0) return 0; /* stance began before the first sample */
      t_up = (double)k - 0.05 * fs;
    }
    ic = t_up;
    if (!flight) { /* walking: the steepest loading rise of the step (walk_step_ic) */
      double on = gb_ct_walk_step_ic(c, k, own_int);
      if (on >= 0) ic = on;
    }
    if (flight && !isnan(t_dn) && pk > 1.02f) {
      double tc = halfsine_contact((t_dn - t_up) / fs, (double)pk) * fs;
      if (tc > 0 && tc < 0.95 * own_int * fs) {
        ic = 0.5 * (t_up + t_dn) - 0.5 * tc;
        ct = tc / fs * 1000.0;
      }
      /* IC: the foot of the loading edge (see stance_ic); toe-off stays with the
         half-sine fit, whose falling quarter matches the unloading (the force plate
         toe-off of the alcantara trials lies within a few ms of it, while the foot of
         the trunk's unloading edge lags the force by ~25 ms there) */
      double e_ic;
      if (tc > 0 && tc < 0.95 * own_int * fs && stance_ic(c, k, t_up, back_lim, &e_ic) == 0) {
        double to = 0.5 * (t_up + t_dn) + 0.5 * tc;
        if (to - e_ic > 0 && to - e_ic < 0.95 * own_int * fs) {
          ic = e_ic;
          ct = (to - e_ic) / fs * 1000.0;
        }
      }
    }
  } else {
    /* onset of the impact rise before the (smoothed) impact peak */
    uint64_t bl = (uint64_t)fmin((double)(k - lo), GB_CT_ONSET_BACK_S * fs);
    ic = bl > 2 ? rise_onset(c, c->sm, k, bl) : -1;
    if (ic < 0) {
      if (k - bl == 0) return 0; /* impact began before the first sample */
      ic = (double)(k - bl);
    }
  }
  if (ic < 0) return 0; /* the contact began before the recording: features would be cut */
  if (ic < (double)lo) ic = (double)lo;

  /* peak, loading rate, time to peak */
  uint64_t i_ic = (uint64_t)ceil(ic - 1e-9);
  if (i_ic >= hi) i_ic = hi - 1;
  double pend = c->unilateral ? (double)i_ic + 0.1 * fs
                              : (isnan(ct) ? (double)k + 0.1 * fs : ic + ct * fs / 1000.0);
  uint64_t i_end = (uint64_t)fmin(pend, (double)(c->n - 1));
  if (i_end < k) i_end = k;
  uint64_t kp = ring_argmax(c, c->v, i_ic, i_end + 1);
  gb_step s;
  memset(&s, 0, sizeof s);
  s.t_s = c->t_first + ic / fs;
  s.peak_g = rv(c, c->v, kp);
  double ttp = ((double)kp - ic) / fs;
  s.time_to_peak_ms = (float)(ttp * 1000.0);
  float v_ic = rv(c, c->v, i_ic);
  s.loading_rate_gps = ttp > 0 ? (float)((s.peak_g - v_ic) / ttp) : NAN;
  s.contact_time_ms = (float)ct;
  s.vertical_osc_cm = NAN;
  s.bout_kind = GB_BOUT_OTHER;

  /* impact spectrum */
  s.impact_ratio = NAN;
  s.landing = GB_LANDING_UNKNOWN;
  size_t nw = c->nw;
  if (c->impact_ok && i_ic + nw <= c->n && nw >= 8) {
    double *x = c->xw;
    for (size_t i = 0; i < nw; i++) x[i] = rv(c, c->v, i_ic + i);
    /* the contact level: the smoothed signal at IC */
    uint64_t i0 = (uint64_t)floor(ic);
    double fr = ic - (double)i0, base = rv(c, c->sm, i0);
    if (i0 + 1 < c->n_sm) base += fr * ((double)rv(c, c->sm, i0 + 1) - base);
    s.impact_ratio = (float)band_ratio(c, x, base);
    if (c->landing_ok && !isnan(s.impact_ratio))
      s.landing = s.impact_ratio >= c->ratio_thr ? GB_LANDING_REARFOOT : GB_LANDING_MIDFOOT;
  }

  /* clipping: at full scale, or (full scale unknown) a flat run at the maximum */
  uint64_t c_end = i_ic + (nw > 0 ? nw : 1);
  if (c_end > c->n) c_end = c->n;
  if (c_end <= kp) c_end = kp + 1 <= c->n ? kp + 1 : c->n;
  float m = 0;
  m = ring_max(c, c->amax, i_ic, c_end, m);
  if (c->full_scale > 0) {
    s.clipped = m >= (float)(GB_CT_CLIP_FRAC * c->full_scale);
  } else if (m >= 1.5f) {
    int need = fs < 200 ? 2 : 3, run = 0, best = 0;
    for (uint64_t j = i_ic; j < c_end; j++) {
      run = rv(c, c->amax, j) == m ? run + 1 : 0;
      if (run > best) best = run;
    }
    s.clipped = best >= need;
  }
  s.side = c->unilateral ? 0 : (int8_t)c->side_next;
  c->side_next ^= 1;

  /* vertical oscillation of the previous step, now that its end is known */
  if (c->trunk && c->n_steps > 0 && c->have_last) {
    double prev_ic = c->last_ic;
    if (ic - prev_ic < 1.5 * own_int * fs && prev_ic >= (double)lo)
      c->steps[c->n_steps - 1].vertical_osc_cm =
          vertical_osc(c, (uint64_t)lround(prev_ic), (uint64_t)lround(ic));
  }
  /* rhythm bookkeeping */
  if (c->have_last) {
    double dt = ((double)k - (double)c->last_k) / fs;
    if (dt > 2.5 * own_int || dt > 3.0) {
      c->n_rec = 0; /* a pause: start the rhythm afresh */
    } else {
      if (c->n_rec == GB_CT_NREC) {
        memmove(c->rec, c->rec + 1, (GB_CT_NREC - 1) * sizeof(double));
        c->n_rec--;
      }
      c->rec[c->n_rec++] = dt;
    }
  }
  c->have_last = 1;
  c->last_k = k;
  c->last_ic = ic;
  return push_step(c, &s);
}

/* Robust SD of the white noise of a block of |second differences| (median
 * |d2| / (0.6745·√6); the second difference of white noise has SD √6·σ). Reorders
 * the block. */
static double block_sd(float *d2, size_t nb)
{
  size_t h = nb / 2;
  float lower; /* |d2| >= +0: the radix select applies */
  float upper = gb_kth_nonneg_f(d2, nb, h, nb % 2 == 0 ? &lower : NULL);
  double med = nb % 2 == 0 ? 0.5 * ((double)lower + upper) : upper;
  return med / (0.6745 * sqrt(6.0));
}

/* Closes a one-second block of |second differences| and keeps its noise SD for
 * the noise floor. Only the smallest SD of the last GB_CT_NOISE_BLOCKS blocks is
 * ever used, and only when GB_CT_NOISE_K times it passes the physiological floor
 * (min_rise). A block whose upper median is at most d2_low (more than half its
 * values are) cannot pass it: it is marked -1 (at most sig_low) after one count
 * instead of a selection, and its values stay in their slot until it leaves the
 * window, for the exact value if one is asked for (noise_sd_min). */
static void close_noise_block(gb_contacts *c)
{
  const size_t nb = c->nb, h = nb / 2;
  const float lim = c->d2_low, *d = c->d2_cur;
  size_t below = 0;
  for (size_t i = 0; i < nb; i++) below += d[i] <= lim;
  double sd = below >= h + 1 ? -1.0 : block_sd(c->d2_cur, nb);
  if (c->n_sig == GB_CT_NOISE_BLOCKS) {
    memmove(c->sig, c->sig + 1, (GB_CT_NOISE_BLOCKS - 1) * sizeof(double));
    memmove(c->sig_slot, c->sig_slot + 1, (GB_CT_NOISE_BLOCKS - 1) * sizeof(int));
    c->n_sig--;
  }
  c->sig[c->n_sig] = sd;
  c->sig_slot[c->n_sig++] = (int)((c->d2_cur - c->d2) / (ptrdiff_t)c->blk);
  /* the next block takes the slot no kept block uses: slots cycle through
     GB_CT_NOISE_BLOCKS + 1, and the oldest kept block is GB_CT_NOISE_BLOCKS back */
  c->d2_cur = c->d2 + (size_t)c->slot_next * c->blk;
  c->slot_next = (c->slot_next + 1) % (GB_CT_NOISE_BLOCKS + 1);
  c->nb = 0;
}

/* Smallest noise SD of the kept blocks (exact: marked blocks are measured now),
 * 0 when there is none yet. */
static double noise_sd_min(gb_contacts *c)
{
  if (c->n_sig == 0) return 0;
  for (int i = 0; i < c->n_sig; i++)
    if (c->sig[i] < 0) c->sig[i] = block_sd(c->d2 + (size_t)c->sig_slot[i] * c->blk, c->blk);
  double s = c->sig[0];
  for (int i = 1; i < c->n_sig; i++) s = fmin(s, c->sig[i]);
  return s;
}

/* Smallest rise above 1 g that counts as a contact: the physiological minimum or
 * GB_CT_NOISE_K times the smoothed noise floor, whichever is larger. The
 * physiological minimum is GB_CT_MIN_RISE_G (normal walking and faster: thr)
 * while nothing says the wearer is in gait; at a trunk/sacrum site it is the
 * slow-walking GB_CT_WALK_MIN_RISE_G (thr_walk) inside walking (walk_gate: the
 * cadence stage reports a confident step rate, the recent contacts form a
 * consistent rhythm, or the previous contact is recent). Slow or cautious walking
 * (daily life, turning, impaired gait) reads only 0.05-0.2 g above gravity at the
 * lower back, and the 0.2 g floor dropped those steps; outside walking the higher
 * floor keeps isolated bumps (sitting down, shifting weight) out. */
static double min_rise(const gb_contacts *c, int walking)
{
  double h = walking ? GB_CT_WALK_MIN_RISE_G : GB_CT_MIN_RISE_G;
  if (c->n_sig > 0) {
    /* a block marked -1 has an SD at most sig_low, whose GB_CT_NOISE_K multiple
       lies below every physiological floor of this site: the floor stands */
    double s = c->sig[0];
    for (int i = 0; i < c->n_sig; i++) {
      if (c->sig[i] < 0) return h;
      s = fmin(s, c->sig[i]);
    }
    h = fmax(h, GB_CT_NOISE_K * s * c->noise_gain);
  }
  return h;
}

/* Recomputes the cached detector constants from the expected interval and the
 * noise floor. Called whenever one of their inputs may have changed: at the start
 * of each process() run (cadence hint, noise blocks) and after each accepted
 * contact (recent intervals). */
static void refresh(gb_contacts *c)
{
  double own = expected_interval(c);
  c->own = own;
  double dd = fmin(c->frac * own, GB_CT_MAX_D_S);
  uint64_t D = (uint64_t)floor(dd * c->fs);
  c->D = D < 1 ? 1 : D;
  c->R = (uint64_t)floor(fmin(own, GB_CT_REL_WIN_S) * c->fs);
  /* look-ahead a candidate needs before it can be decided */
  double la = fmax(fmin(c->frac * own, GB_CT_MAX_D_S), fmin(own, GB_CT_REL_WIN_S)) +
              GB_CT_STANCE_MAX_S + GB_CT_IMPACT_WIN_S;
  c->la = (uint64_t)ceil(la * c->fs) + 2;
  c->thr = 1.0f + (float)min_rise(c, 0);
  c->thr_walk = c->trunk ? 1.0f + (float)min_rise(c, 1) : c->thr;
  c->rhythm = c->hint_spm > 0 || recent_rhythm(c) > 0;
}


/* Examines sm index k; returns 0 or -1 on memory failure. */
static int examine(gb_contacts *c, uint64_t k)
{
  uint64_t lo = oldest(c);
  if (k < lo + 1 || k + 1 >= c->n_sm) return 0;
  float y = rv(c, c->sm, k);
  if (y < c->thr_walk && !gb_ct_walk_faint(c, k)) return 0;
  if (y < c->thr && !gb_ct_walk_gate(c, k)) return 0;
  if (!(y >= rv(c, c->sm, k - 1) && y > rv(c, c->sm, k + 1))) return 0;
  double own = c->own;
  uint64_t D = c->D;
  if (c->have_last && k - c->last_k < D) return 0;
  uint64_t j0 = k > lo + D ? k - D : lo, j1 = k + D < c->n_sm ? k + D : c->n_sm - 1;
  /* samples within D after the previous contact belong to its step (a peak there
     is never a contact of its own): a later hump of that step, e.g. the second
     loading hump of an asymmetric walker's stronger step, must not hide the next */
  if (c->have_last && c->last_k + D > j0) j0 = c->last_k + D;
  if (ring_any_above(c, c->sm, j0, k, y, 0) || ring_any_above(c, c->sm, k + 1, j1 + 1, y, 1)) return 0;
  /* not a minor bump next to a real contact */
  uint64_t R = c->R;
  uint64_t r0 = k > lo + R ? k - R : lo, r1 = k + R < c->n_sm ? k + R : c->n_sm - 1;
  float big = y;
  big = ring_max(c, c->sm, r0, r1 + 1, big);
  if (y - 1.0f < (float)GB_CT_REL_RISE * (big - 1.0f)) return 0;
  /* a valley back towards 1 g separates two contacts */
  if (c->have_last && k - c->last_k < (uint64_t)(3.0 * c->fs) && c->last_k >= lo) {
    float mn = y, pl = rv(c, c->sm, c->last_k);
    mn = ring_min(c, c->sm, c->last_k, k, mn);
    if (mn > 1.0f + 0.5f * (minf(y, pl) - 1.0f)) return 0;
  }
  int rc = accept(c, k, own, NAN);
  refresh(c); /* the recent intervals changed */
  return rc;
}

/* First index from k on, below end, that examine() would not reject at once for
 * being under the lowest floor it may apply (thr_walk, or 1 g where a faint step
 * of an established rhythm may count: gb_ct_walk_faint) or not a local maximum;
 * samples whose neighbours lie outside the ring or the smoothed range are not
 * skipped. */
static uint64_t next_candidate(const gb_contacts *c, uint64_t k, uint64_t end)
{
  const uint64_t lo1 = oldest(c) + 1, mask = c->mask;
  const float *sm = c->sm, tw = c->thr_walk;
  if (k < lo1) return k;
  if (end > c->n_sm - 1) end = c->n_sm - 1; /* k + 1 must be smoothed */
  uint64_t f_lo = 1, f_hi = 0; /* faint steps possible in [f_lo, f_hi]: floor 1 g there */
  gb_ct_walk_faint_window(c, &f_lo, &f_hi); /* unchanged when none is possible */
  for (; k < end; k++) {
#ifdef GB_SSE2
    /* four samples at once where k - 1 .. k + 4 are contiguous in the ring and
       no faint step is possible: the same three comparisons per sample */
    const uint64_t s = k & mask;
    if (s >= 1 && s + 5 <= mask + 1 && k + 4 <= end && (k + 3 < f_lo || k > f_hi)) {
      const __m128 y4 = _mm_loadu_ps(sm + s), p4 = _mm_loadu_ps(sm + s - 1), n4 = _mm_loadu_ps(sm + s + 1);
      const __m128 hit = _mm_and_ps(_mm_and_ps(_mm_cmpge_ps(y4, _mm_set1_ps(tw)), _mm_cmpge_ps(y4, p4)),
                                    _mm_cmpgt_ps(y4, n4));
      const int bits = _mm_movemask_ps(hit);
      if (bits) return k + (uint64_t)__builtin_ctz((unsigned)bits);
      k += 3; /* the loop adds the fourth */
      continue;
    }
#endif
    const float y = sm[k & mask];
    if (y >= tw && y >= sm[(k - 1) & mask] && y > sm[(k + 1) & mask]) break;
    if (k >= f_lo && k <= f_hi && y > 1.0f && y >= sm[(k - 1) & mask] && y > sm[(k + 1) & mask]) break;
  }
  return k;
}

static int process(gb_contacts *c, int flushing)
{
  refresh(c); /* the hint and the noise floor may have changed since the last call */
  for (;;) {
    uint64_t la = flushing ? 0 : c->la;
    if (c->next_k + la >= c->n_sm) break;
    c->next_k = next_candidate(c, c->next_k, c->n_sm - la);
    if (c->next_k + la >= c->n_sm) break;
    if (examine(c, c->next_k) < 0) return GB_ENOMEM;
    c->next_k++;
  }
  return 0;
}

/* Appends samples [i0, i1) of a push to the rings and the smoother. The state the
 * per-sample recurrences carry (sample count, the two running sums, the noise
 * block's fill) lives in locals for the loop: written back through c after every
 * sample, each sum's chain waited on a store and a reload. Same operations in the
 * same order as one sample at a time, so the values do not depend on i1 - i0. */
static void add_samples(gb_contacts *c, const float *vert, const float *raw, size_t i0, size_t i1)
{
  const uint64_t w = c->w, mask = c->mask;
  const double dw = (double)c->w;
  const int ch = c->channels;
  float *const V = c->v, *const A = c->amax, *const B1 = c->b1, *const SM = c->sm;
  uint64_t k = c->n;
  double sum1 = c->sum1, sum2 = c->sum2;
  size_t nb = c->nb;
  for (size_t i = i0; i < i1; i++, k++) {
    float am = 0;
    if (ch == 3) { /* the loop below, unrolled for the common case */
      const float *r = raw + i * 3;
      am = maxf(maxf(maxf(am, fabsf(r[0])), fabsf(r[1])), fabsf(r[2]));
    } else {
      for (int q = 0; q < ch; q++) am = maxf(am, fabsf(raw[i * (size_t)ch + (size_t)q]));
    }
    float v = vert[i];
    if (!isfinite(v)) v = 1.0f; /* a gap reads as rest */
    if (k == 0) { /* as if v had been constant before the start */
      sum1 = dw * v;
      sum2 = dw * v;
    }
    float old_v = k >= w ? V[(k - w) & mask] : V[0];
    if (k == 0) old_v = v;
    if (k >= 2) {
      c->d2_cur[nb++] = fabsf(v - 2.0f * V[(k - 1) & mask] + V[(k - 2) & mask]);
      if (nb == c->blk) {
        c->nb = nb;
        close_noise_block(c);
        nb = c->nb;
      }
    }
    V[k & mask] = v;
    A[k & mask] = am;
    sum1 += (double)v - (double)old_v;
    float b = (float)(sum1 / dw);
    float old_b = k >= w ? B1[(k - w) & mask] : (k == 0 ? b : B1[0]);
    if (k == 0) old_b = b;
    B1[k & mask] = b;
    sum2 += (double)b - (double)old_b;
    if (k + 1 >= w) SM[(k - (w - 1)) & mask] = (float)(sum2 / dw); /* b2 at k is centred at k − (w − 1) */
  }
  c->n = k;
  c->sum1 = sum1;
  c->sum2 = sum2;
  c->nb = nb;
  if (k >= w) c->n_sm = k - (w - 1);
}

int gb_contacts_push(gb_contacts *c, const float *vert, const float *mag, const float *raw,
                     size_t n, double t0_s, double cadence_hint_spm)
{
  (void)mag;
  if (!c || (n && (!vert || !raw))) return GB_EINVAL;
  if (!c->have_t) { c->t_first = t0_s; c->have_t = 1; }
  double h = cadence_hint_spm > 0 && isfinite(cadence_hint_spm) ? cadence_hint_spm : 0;
  /* trunk: a window without a confident cadence (a turn, a few irregular steps)
     does not end the gait: the last cadence stays the expected one while the
     contacts go on at it (the previous contact within walk_gap_s, and the last
     stride, two intervals, within GB_CT_RHYTHM_AGREE of two held intervals: a
     stride is immune to a step taken at its second hump) */
  if (h > 0) {
    c->hint_held = h;
  } else if (c->trunk && c->hint_held > 0 && c->have_last && c->n_steps >= 3 &&
             (double)(c->n - c->last_k) <= c->walk_gap_s * c->fs &&
             fabs(c->steps[c->n_steps - 1].t_s - c->steps[c->n_steps - 3].t_s - 120.0 / c->hint_held) <=
                 GB_CT_RHYTHM_AGREE * 120.0 / c->hint_held) {
    h = c->hint_held;
  } else {
    c->hint_held = 0;
  }
  c->hint_spm = h;
  /* process in pieces so the ring never overwrites samples still needed */
  size_t piece = c->cap / 4;
  for (size_t i0 = 0; i0 < n; i0 += piece) {
    size_t i1 = i0 + piece < n ? i0 + piece : n;
    add_samples(c, vert, raw, i0, i1);
    int rc = process(c, 0);
    if (rc) return rc;
  }
  return 0;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* One-leg sensors (tibia, foot, thigh) report their own leg only. Before the
 * cadence hint exists (the first seconds of a run after a standstill) the
 * detector cannot tell a stride from a step, and the other leg's contact —
 * transmitted at a fraction of the size — is picked too: an alternating strong /
 * weak sequence at half the stride interval. At finish the stride is known: a
 * contact that sits between two neighbours one stride apart (the median interval
 * of the surrounding GB_CT_LEG_WIN intervals), each under 0.7 stride from it, and is
 * weaker than both, is the other leg's and is dropped. Costs O(n·w log w). */
#define GB_CT_LEG_WIN 60
static void drop_other_leg(gb_step *s, size_t *n)
{
  size_t m = *n;
  if (m < 8) return;
  unsigned char *drop = calloc(m, 1);
  if (!drop) return; /* best effort: keep the table as detected */
  double buf[GB_CT_LEG_WIN + 1];
  for (size_t i = 1; i + 1 < m; i++) {
    size_t j0 = i > GB_CT_LEG_WIN / 2 ? i - GB_CT_LEG_WIN / 2 : 0;
    size_t j1 = j0 + GB_CT_LEG_WIN < m - 1 ? j0 + GB_CT_LEG_WIN : m - 1; /* intervals j: t[j+1]-t[j] */
    if (j1 - j0 < GB_CT_LEG_WIN && j1 + 1 >= m && m - 1 > GB_CT_LEG_WIN) j0 = m - 1 - GB_CT_LEG_WIN;
    size_t nb = 0;
    for (size_t j = j0; j < j1 && nb < GB_CT_LEG_WIN + 1; j++) {
      double d = s[j + 1].t_s - s[j].t_s;
      if (d > 0 && d < 2.5) buf[nb++] = d; /* within continuous gait (2.5 s: slowest stride) */
    }
    if (nb < 8) continue;
    qsort(buf, nb, sizeof *buf, cmp_double);
    double M = nb % 2 ? buf[nb / 2] : 0.5 * (buf[nb / 2 - 1] + buf[nb / 2]);
    double a = s[i].t_s - s[i - 1].t_s, b = s[i + 1].t_s - s[i].t_s;
    if (a < 0.7 * M && b < 0.7 * M && a + b > 0.7 * M && a + b < 1.3 * M && s[i].peak_g < s[i - 1].peak_g &&
        s[i].peak_g < s[i + 1].peak_g)
      drop[i] = 1;
  }
  size_t k = 0;
  for (size_t i = 0; i < m; i++)
    if (!drop[i]) s[k++] = s[i];
  *n = k;
  free(drop);
}

/* A running contact cut by the end of the recording: its loading peak lies past
 * the last sample, so no candidate exists for it. After a flight phase the body
 * must land (free fall ends only with a ground force), so a rise out of flight at
 * the end of the recording is a contact when
 *  (a) it rose out of the flight level by at least GB_CT_MIN_RISE_G and the noise
 *      floor;
 *  (b) the recording ends within GB_CT_STANCE_MAX_S of the flight minimum (a
 *      stance recorded whole was examined as a candidate; this one's loading
 *      peak, or its active peak after a heel's impact peak, lies past the end, so
 *      the relative-rise test of a whole contact cannot apply);
 *  (c) it starts at least min_step_fraction of the expected interval after the
 *      previous IC (the spacing every detected contact obeys);
 *  (d) a loading peak above body weight had begun (the raw signal passed
 *      1 g + min_rise), or the raw signal is still rising at the last sample
 *      (within GB_CT_NOISE_K noise SDs of its highest value since the flight
 *      minimum, and up by more than that over the last w samples): a landing into
 *      quiet standing is neither.
 * Its IC is the foot of the loading edge as for any running stance (stance_ic)
 * when the 1 g crossing was recorded, else the foot of the partial rise
 * (rise_onset); its contact time is unknown. Returns 0 (with or without a
 * contact) or -1 on memory failure. */
static int tail_contact(gb_contacts *c)
{
  if (c->unilateral || !c->have_last || c->n_sm < 8) return 0;
  uint64_t lo = oldest(c), ke = c->n_sm - 1;
  if (c->last_k < lo || ke <= c->last_k + 4) return 0;
  uint64_t jm = ke;
  float mn = rv(c, c->sm, ke);
  for (uint64_t j = c->last_k; j < ke; j++) {
    float y = rv(c, c->sm, j);
    if (y <= mn) { mn = y; jm = j; }
  }
  if (!(mn < GB_CT_FLIGHT_G) || jm + 2 >= ke) return 0; /* no flight, or no rise after it */
  double fs = c->fs, ic = -1;
  if ((double)(ke - jm) > GB_CT_STANCE_MAX_S * fs) return 0; /* that stance was recorded whole */
  uint64_t ne = c->n_sm; /* end of the real samples (the smoother was padded after it) */
  float top = rv(c, c->v, jm), last = rv(c, c->v, ne - 1);
  top = ring_max(c, c->v, jm, ne, top);
  if (!((double)top - mn >= fmax(GB_CT_MIN_RISE_G, c->thr - 1.0f))) return 0;
  /* (d) a loading peak above body weight began, or the rise is still going on at
     the last sample (a landing into quiet standing is neither) */
  if (!(top >= c->thr)) {
    double sd = noise_sd_min(c);
    uint64_t wb = ne - 1 >= jm + c->w ? c->w : ne - 1 - jm;
    double tol = GB_CT_NOISE_K * sd;
    if (!((double)last >= (double)top - tol && (double)last - rv(c, c->v, ne - 1 - wb) > tol)) return 0;
  }
  /* the 1 g up-crossing of the smoothed signal after the flight minimum */
  double t_up = NAN;
  for (uint64_t j = jm + 1; j <= ke; j++) {
    float a0 = rv(c, c->sm, j - 1), a1 = rv(c, c->sm, j);
    if (a0 < 1.0f && a1 >= 1.0f) { t_up = (double)(j - 1) + (1.0 - a0) / (double)(a1 - a0); break; }
  }
  if (!isnan(t_up) && stance_ic(c, ke, t_up, ke - jm + 1, &ic) != 0) ic = -1;
  if (ic < 0) ic = rise_onset(c, c->v, ne - 1, ne - 1 - jm);
  if (ic < 0 || ic - c->last_ic < c->frac * c->own * fs) return 0;
  return accept(c, ke, c->own, ic);
}

int gb_contacts_finish(gb_contacts *c, gb_step **steps, size_t *n_steps)
{
  if (!c || !steps || !n_steps) return GB_EINVAL;
  *steps = NULL;
  *n_steps = 0;
  if (c->n > 0) {
    /* complete the smoother with the last value, then decide the remaining candidates */
    float last = rv(c, c->v, c->n - 1), am = rv(c, c->amax, c->n - 1);
    uint64_t n_real = c->n;
    const float raw_last[3] = {am, 0.0f, 0.0f}; /* amax of the frame = am, any channel count */
    for (size_t i = 0; i + 1 < c->w; i++) add_samples(c, &last, raw_last, 0, 1);
    c->n_sm = n_real < c->n_sm ? n_real : c->n_sm;
    int rc = process(c, 1);
    if (rc) return rc;
    if (tail_contact(c) < 0) return GB_ENOMEM;
  }
  if (c->unilateral) drop_other_leg(c->steps, &c->n_steps);
  if (c->trunk && gb_ct_walk_drop_fast(c->steps, &c->n_steps, c->walk_gap_s / GB_CT_WALK_GAP_STEPS) < 0)
    return GB_ENOMEM;
  /* the table grew by doubling: return the unused capacity (up to half of it, more
   * after drop_other_leg) before the result is held through events and report writing */
  if (c->n_steps > 0 && c->n_steps < c->cap_steps) {
    gb_step *shrunk = realloc(c->steps, c->n_steps * sizeof *shrunk);
    if (shrunk) c->steps = shrunk;
  }
  *steps = c->steps;
  *n_steps = c->n_steps;
  c->steps = NULL;
  c->n_steps = c->cap_steps = 0;
  return 0;
}

const char *gb_contacts_note(const gb_contacts *c) { return c ? c->note : ""; }

void gb_contacts_free(gb_contacts *c)
{
  if (!c) return;
  free(c->v); free(c->amax); free(c->b1); free(c->sm); free(c->steps); free(c->d2);
  free(c->taper); free(c->xw); free(c->yw); free(c->cs); free(c->sn); free(c->osc);
  free(c);
}
