/* Body model of the generator: what one foot contact does to the acceleration at each sensor
 * location, in the world frame (x anteroposterior, y mediolateral, z vertical up), as kinematic
 * acceleration (gravity is added by the caller, so the sensor reads specific force).
 *
 * Vertical ground reaction (spring-mass model; Blickhan, J Biomech 1989; McMahon & Cheng,
 * J Biomech 1990): during stance the vertical GRF is a half sine, zero in flight. By Newton's
 * second law the mean vertical GRF over a whole step equals body weight, so the trunk's
 * specific force GRF/m averages exactly 1 g per step: the half-sine peak P follows from
 *     P * 2 tc / pi + G * I = T     (T step interval, tc contact time, G*I the impact bump),
 * e.g. T = 0.35 s, tc = 0.25 s gives P ~ 2.2 g (trunk peaks 2-4 g, flight ~0 g). Walking uses a
 * duty factor > 0.5 (double support, no flight, smaller oscillation) and the two-humped walking
 * force (shape factor q, below). Each step contributes
 * GRF_k(t)/m - 1[t in its own interval]: zero net integral, so still segments read exactly 1 g.
 *
 * Impact transient: rearfoot strikes carry a damped oscillation of 12-18 Hz with a 35 ms decay
 * (positive impact peak ~11 ms after contact, then a rebound) at the shank; the ground force
 * (hence the trunk) carries only its first, positive lobe (the impact peak), whose spectrum peaks in the
 * 10-20 Hz impact band (Shorten & Winslow, J Appl Biomech 1992; Gruber et al., J Biomech 2014);
 * midfoot/forefoot strikes load smoothly: a Gaussian bump (sigma 14-22 ms, peak 2.5 sigma after
 * contact) whose energy lies below ~10 Hz (4-8 Hz active band; Giandolini et al. 2014). Both are
 * normalised to a peak of 1 and scaled by the step's tibial shock (g).
 *
 * Transfer per location (gains below):
 *  - tibia: own-leg shock at full size (PTA ~5-12 g rearfoot for 2.7-3.7 m/s runners, Sheerin
 *    et al., Sports Biomech 2020), the other leg's contact attenuated to 20 % (transmitted
 *    through the pelvis), swing-phase acceleration at stride rate (~2 g AP);
 *  - foot: shock x1.5 (larger peaks distally; Lafortune 1991), other leg 10 %, larger swing;
 *  - sacrum / trunk: both legs through the GRF, impact attenuated to 25 % / 15 % of the tibial
 *    shock (head/trunk shock attenuation ~70-85 %; Derrick et al., MSSE 1998), braking/propulsion
 *    in AP and mediolateral sway at stride rate;
 *  - wrist: half the trunk's vertical dynamics, impacts at 8 %, arm swing at stride rate.
 * Trunk lean, sensor orientation, gravity, noise, clipping and quantisation are applied by the
 * caller (src/synth/run.c). */
#include <math.h>

#include "synth/synth_internal.h"

#define TWO_PI 6.283185307179586
#define WALK_SHAPE_Q 0.3 /* walking force shape factor (Alexander & Jayes 1980, normal speed) */
#define PI 3.141592653589793

void synth_body_init(synth_body *b, gb_location loc, int sensor_side)
{
  *b = (synth_body){0};
  b->loc = loc;
  b->sensor_side = sensor_side;
  switch (loc) {
  case GB_LOC_TIBIA:
    b->shock_own = 1.0; b->shock_other = 0.2;
    b->swing_ap = 2.0; b->swing_v = 1.0; b->brake_ap = 0.3; b->sway_ml = 0.2;
    break;
  case GB_LOC_FOOT:
    b->shock_own = 1.5; b->shock_other = 0.1;
    b->swing_ap = 3.0; b->swing_v = 1.5; b->brake_ap = 0.5; b->sway_ml = 0.3;
    break;
  case GB_LOC_SACRUM:
    b->grf_gain = 1.0; b->grf_shock = 0.25; b->brake_ap = 0.4; b->sway_ml = 0.25;
    break;
  case GB_LOC_TRUNK:
    b->grf_gain = 1.0; b->grf_shock = 0.15; b->brake_ap = 0.35; b->sway_ml = 0.2;
    break;
  case GB_LOC_WRIST:
  default:
    b->grf_gain = 0.5; b->grf_shock = 0.08; b->arm_ap = 1.2; b->arm_v = 0.4; b->sway_ml = 0.3;
    break;
  }
}

/* Peak of e^{-t/tau} sin(w t) (t >= 0): at t* = atan(w tau) / w. */
static double transient_peak(double w, double tau)
{
  double ts = atan(w * tau) / w;
  return exp(-ts / tau) * sin(w * ts);
}

/* Integral of e^{-t/tau} sin(w t) over [0, L]. */
static double transient_integral(double w, double tau, double L)
{
  double a = 1.0 / tau;
  return (w - exp(-a * L) * (a * sin(w * L) + w * cos(w * L))) / (a * a + w * w);
}

/* Integral of the unit Gaussian bump (centre c, sigma sg) over [0, L]. */
static double bump_integral(double c, double sg, double L)
{
  return sg * sqrt(PI / 2.0) * (erf((L - c) / (sg * sqrt(2.0))) - erf(-c / (sg * sqrt(2.0))));
}

double synth_step_support(const synth_step *st)
{
  double s = fmax(fmax(st->T, st->tc), fmax(st->S, 10.0 * st->tau_imp));
  return s + 0.01;
}

void synth_body_add(const synth_body *b, const synth_step *st, int64_t n0, size_t n, double fs,
                    double *ap, double *ml, double *v)
{
  double t0 = st->t;
  double sup = synth_step_support(st);
  int64_t first = (int64_t)ceil(t0 * fs);
  int64_t last = (int64_t)floor((t0 + sup) * fs);
  if (first < n0) first = n0;
  if (last > n0 + (int64_t)n - 1) last = n0 + (int64_t)n - 1;
  if (first > last) return;

  int own = st->side == b->sensor_side;
  int osc = st->f_imp > 0; /* rearfoot oscillation, else the midfoot Gaussian bump */
  double w = TWO_PI * st->f_imp, tau = st->tau_imp, cen = 2.5 * st->tau_imp;
  double hnorm = osc ? 1.0 / transient_peak(w, tau) : 1.0;
  double tc = st->tc, T = st->T, S = st->S;
  double shock_v = (own ? b->shock_own : b->shock_other) * st->shock_g;
  double G = b->grf_shock * st->shock_g;                         /* bump inside the GRF */
  /* In the force a heel strike is the impact PEAK only: the first lobe of the
     oscillation. Its rebound belongs to the shank's vibration (the tibial
     acceleration rings, the ground force does not swing back towards zero: after
     the impact peak of 1.5-2 BW the force dips only to ~1.2-1.5 BW; Cavanagh &
     Lafortune, J Biomech 1980; Lieberman et al., Nature 2010). Passing the whole
     oscillation to the trunk made its specific force fall to ~0.2 g 50 ms into
     stance, which no force-plate record shows. */
  double lobe = osc ? PI / w : 0.0;                                /* first half period */
  double I = osc ? transient_integral(w, tau, fmin(tc, lobe)) * hnorm
                 : bump_integral(cen, tau, fmin(tc, cen + 4.0 * tau));
  /* walking force: two humps (loading response, push-off) with a mid-stance valley,
     F = P (sin(pi t/tc) + q sin(3 pi t/tc)), shape factor q (Alexander & Jayes,
     J Zool 1980: q ~ 0.1-0.4 in walking, ~0 in running); its integral is
     P (2 tc / pi)(1 + q/3) */
  double q = st->kind == SYNTH_WALK ? WALK_SHAPE_Q : 0.0;
  double P = (T - G * I) * PI / (2.0 * tc * (1.0 + q / 3.0));   /* mean GRF/m over T = 1 g */
  double sw = S - tc > 0.05 ? S - tc : 0.05;
  double inten = st->kind == SYNTH_WALK ? 0.4 : 1.0;             /* walking moves less */
  double side_sign = st->side == 0 ? 1.0 : -1.0;

  for (int64_t k = first; k <= last; k++) {
    double tau_k = (double)k / fs - t0;
    if (tau_k < 0) continue;
    size_t i = (size_t)(k - n0);
    double h = 0.0;
    if (osc) {
      if (tau_k < 10.0 * tau) h = hnorm * exp(-tau_k / tau) * sin(w * tau_k);
    } else if (tau_k < cen + 4.0 * tau) {
      double z = (tau_k - cen) / tau;
      h = exp(-0.5 * z * z);
    }
    double dv = 0, dap = 0, dml = 0;
    if (b->grf_gain > 0) {
      double hg = osc && tau_k >= lobe ? 0.0 : h;                 /* impact peak only */
      double grf = tau_k < tc ? P * (sin(PI * tau_k / tc) + q * sin(3.0 * PI * tau_k / tc)) + G * hg : 0.0;
      dv += b->grf_gain * (grf - (tau_k < T ? 1.0 : 0.0));
    }
    if (shock_v != 0) dv += shock_v * h;
    if (tau_k < tc) dap -= inten * b->brake_ap * sin(TWO_PI * tau_k / tc);
    if (tau_k < T) {
      double half = sin(PI * tau_k / T);
      dml += inten * b->sway_ml * side_sign * half;
      if (b->arm_ap > 0) {
        double arm = (own ? 1.0 : -1.0) * half;
        dap += inten * b->arm_ap * arm;
        dv += inten * b->arm_v * sin(TWO_PI * tau_k / T);
      }
    }
    if (own && (b->swing_ap > 0 || b->swing_v > 0) && tau_k >= tc && tau_k < tc + sw) {
      double ph = sin(TWO_PI * (tau_k - tc) / sw);
      dap += inten * b->swing_ap * ph;
      dv += inten * b->swing_v * 0.6 * ph;
    }
    ap[i] += dap;
    ml[i] += dml;
    v[i] += dv;
  }
}
