/* Test helper: a small synthetic running-signal builder with ground truth.
 *
 * Trunk/sacrum (GBT_SITE_TRUNK): spring-mass running. Each stance is a half sine
 * of duration tc = duty × step time T whose amplitude π·T/(2·tc) makes every step
 * average exactly 1 g; the flight phase reads 0 g (free fall). A rearfoot step adds
 * a damped 15 Hz impact burst at contact. Walking: a loading half sine over the
 * first half of each step (optionally a push-off half sine over the second half),
 * offset so the step averages 1 g. Still: 1 g. Steps and segments never share a
 * sample (a step ends where the next one or the segment ends); the rest of a
 * walking/running segment after its last whole step carries no baseline (0 g).
 * Shank (GBT_SITE_SHANK): own-leg contacts only (stride = 2 steps): rearfoot =
 * damped 15 Hz impact burst + a low 150 ms mid-stance half sine; midfoot = one
 * smooth 80 ms loading half sine; a swing-phase bump and an attenuated other-leg
 * bump between.
 * Gaussian noise from a seeded generator; optional clipping; optional 3-channel
 * output: the trunk axis tilted forward by a lean angle about x, carrying the
 * vertical and a zero-mean forward (braking/propulsion) acceleration per step.
 * Used read-only by other engineers' tests. */
#ifndef GBT_SIGNALS_H
#define GBT_SIGNALS_H
#include <stddef.h>
#include <stdint.h>

enum { GBT_SITE_TRUNK = 0, GBT_SITE_SHANK = 1 };
enum { GBT_STILL = 0, GBT_WALK = 1, GBT_RUN = 2 };

typedef struct gbt_segment {
  int kind;            /* GBT_STILL, GBT_WALK, GBT_RUN */
  double dur_s;
  double cad0_spm, cad1_spm; /* cadence (steps/min) ramps linearly from cad0 to cad1 */
  double amp_scale;    /* impact/loading amplitude multiplier (1 = nominal) */
  double rearfoot_share; /* share of rearfoot steps (chosen by the seeded generator) */
  double lean_deg;     /* trunk lean about x during this segment (3-channel output) */
  double side1_scale;  /* amplitude multiplier of odd steps (asymmetry); 0 = 1 */
  double amp_jitter;   /* step-to-step amplitude CV (uniform jitter), 0 = none */
} gbt_segment;

typedef struct gbt_spec {
  double fs;
  int site;            /* GBT_SITE_* */
  int channels;        /* 1 or 3 */
  double noise_sd;     /* g, white Gaussian */
  double clip_g;       /* > 0: clip every channel to ±clip_g */
  double duty;         /* trunk running tc/T (0 = 0.6) */
  uint64_t seed;
  double pushoff;      /* trunk walking: a push-off half sine over the second half of
                          each step, this share of the loading one (0 = none); near 1
                          the step's second harmonic outweighs its fundamental */
  int n_seg;
  gbt_segment seg[16];
} gbt_spec;

typedef struct gbt_truth_step {
  double t_s;          /* initial contact */
  double ct_s;         /* contact time (trunk running), else 0 */
  double peak_g;       /* nominal peak of the noiseless pulse */
  int landing;         /* 1 rearfoot, 2 midfoot (gb_landing) */
  int kind;            /* GBT_WALK / GBT_RUN */
  int side;            /* 0/1 alternate (shank: own leg = 0 only is listed) */
  double vo_cm;        /* analytic vertical excursion (trunk running), else 0 */
} gbt_truth_step;

typedef struct gbt_signal {
  size_t n;
  int channels;
  float *vert;         /* n: vertical acceleration incl. gravity, g */
  float *frames;       /* n × channels */
  size_t n_steps;
  gbt_truth_step *steps;
} gbt_signal;

/* Builds the signal; returns 0 or -1 (memory). */
int gbt_build(const gbt_spec *spec, gbt_signal *out);
/* A blank one-channel signal for tests that draw their own step shapes: n vertical
 * samples at 0 g (frames NULL) and room for max_steps truth steps. 0 or -1 (memory). */
int gbt_blank(gbt_signal *s, size_t n, size_t max_steps);
/* Adds gravity (1 g) and seeded white Gaussian noise of SD sd_g to every vertical
 * sample. */
void gbt_add_gravity_noise(gbt_signal *s, double sd_g, uint64_t seed);
void gbt_free(gbt_signal *s);
/* Seeded standard normal (xorshift64* + Box–Muller). */
double gbt_randn(uint64_t *state);
double gbt_rand01(uint64_t *state);
/* F1 of detected times against truth times with a tolerance (greedy one-to-one). */
double gbt_f1(const double *det, size_t n_det, const double *truth, size_t n_truth, double tol_s,
              double *recall, double *precision);
#endif
