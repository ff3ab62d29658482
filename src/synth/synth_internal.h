/* Internal pieces of the generator: PRNG, cadence profile, step schedule, body model,
 * output writers. */
#ifndef GB_SYNTH_INTERNAL_H
#define GB_SYNTH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gaitbatch/synth.h"

/* ---- PRNG: xoshiro256** seeded by splitmix64 (Blackman & Vigna 2018) ---- */
typedef struct synth_rng { uint64_t s[4]; } synth_rng;
uint64_t synth_splitmix64(uint64_t *state);
void synth_rng_seed(synth_rng *r, uint64_t seed, uint64_t stream);
uint64_t synth_rng_next(synth_rng *r);
double synth_rng_uniform(synth_rng *r);  /* [0, 1) */
double synth_rng_gauss(synth_rng *r);    /* N(0, 1), Box-Muller, one value per call */

/* ---- cadence profile (a pure function of time) ---- */
enum { SYNTH_STILL = 0, SYNTH_WALK = 1, SYNTH_RUN = 2 };
typedef struct synth_state {
  int kind;          /* SYNTH_STILL / WALK / RUN */
  double cadence;    /* steps/min (0 when still) */
  double impact;     /* multiplier of the steady impact */
  double duty;       /* contact time / stride time */
  double impact_cv;  /* step-to-step impact CV */
} synth_state;

typedef struct synth_profile {
  const gb_synth_spec *spec;
  double a, b;            /* moving span [a, b) */
  double run_end;         /* end of running (cool-down walk after it unless abrupt) */
  double warm_end;        /* a + warmup */
  double fat_start;       /* fatigue drift start (>= run_end: none) */
  double irr0, irr1;      /* rough surface */
  int n_surges;
  double surge_t[16];     /* start of each surge ramp */
  int n_stops;
  double stop_t[16];      /* start of each 1 s deceleration */
} synth_profile;

void synth_profile_build(synth_profile *p, const gb_synth_spec *s);
void synth_profile_eval(const synth_profile *p, double t, synth_state *st);
/* Writes events.csv rows (without header) and returns the number written. */
int synth_profile_events(const synth_profile *p, FILE *f);
/* Mean true cadence over [t0, t1) (0 where still). */
double synth_profile_mean_cadence(const synth_profile *p, double t0, double t1);

/* ---- steps ---- */
typedef struct synth_step {
  double t;          /* initial contact (s) */
  int side;          /* 0 left, 1 right */
  int rearfoot;      /* 1 rearfoot, 0 midfoot/forefoot */
  int kind;          /* SYNTH_WALK or SYNTH_RUN */
  int64_t bout;      /* steps of one bout are consecutive */
  double tc;         /* contact time (s) */
  double T;          /* time to the next contact (step interval) */
  double S;          /* time to the next same-side contact (stride) */
  double shock_g;    /* peak of the own-leg shock at the tibia (g above gravity) */
  double f_imp;      /* rearfoot: transient frequency (Hz); 0 for the midfoot bump */
  double tau_imp;    /* rearfoot: decay time (s); midfoot: Gaussian sigma (s), centred at 2.5 sigma */
  double intensity;  /* impact multiplier of the profile (surges, fatigue, warm-up) */
  /* truth tracking */
  double peak_g;
  int clipped;
} synth_step;

typedef struct synth_stepgen {
  const synth_profile *prof;
  const gb_synth_spec *spec;
  synth_rng rng;
  double t_next;
  int side_next;
  int64_t bout;
  int done;
} synth_stepgen;

void synth_stepgen_init(synth_stepgen *g, const synth_profile *p, const gb_synth_spec *s);
/* 1 = a step was produced, 0 = no more steps. */
int synth_stepgen_next(synth_stepgen *g, synth_step *out);

/* ---- body model: contributions of one step to world-frame kinematic acceleration ---- */
typedef struct synth_body {
  gb_location loc;
  int sensor_side;
  double grf_gain;        /* trunk-like vertical GRF/m dynamics */
  double shock_own, shock_other; /* tibia-referenced shock gains on the sensor's vertical */
  double grf_shock;       /* shock gain inside the GRF (trunk-like sensors) */
  double swing_ap, swing_v; /* own-leg swing at stride rate (g) */
  double arm_ap, arm_v;   /* arm swing at stride rate (g) */
  double brake_ap;        /* braking/propulsion during stance (g) */
  double sway_ml;         /* mediolateral sway at stride rate (g) */
} synth_body;

void synth_body_init(synth_body *b, gb_location loc, int sensor_side);
/* Time after contact over which a step contributes. */
double synth_step_support(const synth_step *st);
/* Adds step st's contribution to ap/ml/v for frames [n0, n0+n) at rate fs. */
void synth_body_add(const synth_body *b, const synth_step *st, int64_t n0, size_t n, double fs,
                    double *ap, double *ml, double *v);

/* ---- output writers ---- */
typedef struct synth_writer synth_writer;
int synth_writer_open(synth_writer **w, const char *path, const gb_synth_spec *s, char *err,
                      size_t errlen);
/* frames interleaved per channel, in g, already clipped and quantised. */
int synth_writer_write(synth_writer *w, const float *frames, size_t n, int64_t frame0, char *err,
                       size_t errlen);
int synth_writer_close(synth_writer *w, char *err, size_t errlen);
/* Quantisation step applied to samples before writing (0 = none). */
double synth_quant_step(const gb_synth_spec *s);

/* ---- manifest ---- */
FILE *synth_manifest_open(const char *dir, char *err, size_t errlen, int *status);
void synth_manifest_row(FILE *f, const gb_synth_spec *s, const char *run_id, const char *athlete,
                        const char *start_iso, double minutes_scale, const char *scenario);

/* ---- helpers ---- */
/* Fixed-point decimal formatting (C locale independent), returns chars written. */
size_t synth_fmt_fixed(char *buf, double v, int decimals);
int synth_mkdir(const char *path);

#endif
