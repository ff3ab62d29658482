/* Internal state of the contact detector (contacts.c), shared with the trunk
 * walking initial-contact rules (contacts_walk.c). Not part of the public API. */
#ifndef GB_GAIT_CONTACTS_INTERNAL_H
#define GB_GAIT_CONTACTS_INTERNAL_H

#include <stdint.h>

#include "gait/gait_internal.h"

#define GB_CT_STANCE_MAX_S 0.5  /* search for the 1 g crossings at most this far, s */
#define GB_CT_NREC 6            /* recent intervals kept */
#define GB_CT_REL_RISE 0.35     /* a contact rises at least this share of the largest peak
                                   within one expected interval: drops swing-phase and
                                   other-leg bumps at the shank (set on the synthetic suite) */
#define GB_CT_NOISE_BLOCKS 10   /* noise floor = smallest of the last 10 one-second estimates */
#define GB_CT_RHYTHM_AGREE 0.15 /* a step interval this much longer than expected is a change
                                   of pace, not step-to-step variability (walking step-time CV
                                   ~2-3 % in healthy adults, Hausdorff, J Neuroeng Rehabil 2005;
                                   15 % is > 5 SD) */

struct gb_contacts {
  double fs;
  gb_location loc;
  int channels;
  double full_scale;
  int unilateral, trunk, impact_ok, landing_ok;
  double walk_gap_s; /* GB_CT_WALK_GAP_STEPS slowest step intervals, s */
  double frac, cad_max, lo_i, hi_i, lo_a, hi_a, ratio_thr;
  char note[200];

  size_t cap;      /* ring size, samples (a power of two) */
  uint64_t mask;   /* cap - 1: ring index = sample index & mask */
  float *v;        /* raw vertical */
  float *amax;     /* max |raw| over channels */
  float *b1;       /* first boxcar output */
  float *sm;       /* triangular smooth, centred (index = sample time) */
  size_t w;        /* boxcar width */
  double sum1, sum2;
  uint64_t n;      /* samples received (ring write position) */
  uint64_t n_sm;   /* smoothed samples valid: [0, n_sm) */
  double t_first;
  int have_t;

  /* noise floor: robust SD of the second difference over one-second blocks */
  float *d2;                 /* |second difference|: GB_CT_NOISE_BLOCKS + 1 blocks of blk */
  float *d2_cur;             /* the block being filled (a slot of d2) */
  size_t nb, blk;            /* fill and size of the block */
  double sig[GB_CT_NOISE_BLOCKS]; /* robust noise SD per block, or -1: at most sig_low */
  int sig_slot[GB_CT_NOISE_BLOCKS]; /* slot of d2 that holds each block's values */
  int n_sig, slot_next;
  float d2_low;              /* a block whose median |d2| is at most this ... */
  double sig_low;            /* ... has an SD too small to raise any floor (see min_rise) */
  double noise_gain;         /* SD gain of the smoother for white noise */

  uint64_t next_k;
  int have_last;
  uint64_t last_k;    /* last accepted peak (sm index) */
  double last_ic;     /* last IC, samples (fractional) */
  double hint_spm;
  double hint_held; /* last confident cadence hint (trunk: held through gaps of the track) */
  double rec[GB_CT_NREC];
  int n_rec;
  int side_next;

  /* per-state constants of the detector, refreshed whenever their inputs change
     (cadence hint, recent intervals, noise floor) instead of on every sample */
  double own;      /* expected interval, s */
  uint64_t D;      /* detection half-window, samples */
  uint64_t R;      /* neighbourhood of the relative-rise test, samples */
  uint64_t la;     /* look-ahead a candidate needs, samples */
  int rhythm;      /* a step rhythm is established: cadence hint or consistent recent intervals */
  float thr;       /* smallest smoothed peak, g: 1 g + min_rise(c, 0) */
  float thr_walk;  /* ... within an established walking rhythm at a trunk site: 1 g + min_rise(c, 1) */

  /* 1 Hz-bin DFT of the impact window: bins, taper and phasors precomputed */
  size_t nw;       /* window length, samples */
  int n_bins;
  double bin_f[64];
  unsigned char bin_i[64], bin_a[64];
  double *taper;   /* nw */
  double *xw, *yw; /* nw each: the window after IC, and it levelled and tapered */
  double *cs, *sn; /* n_bins x nw: cos / sin(2 pi f i / fs); NULL = computed per step */

  gb_step *steps;
  size_t n_steps, cap_steps;
};

static inline float rv(const gb_contacts *c, const float *a, uint64_t k) { return a[k & c->mask]; }
/* fmaxf/fminf for finite operands (every value in the rings is finite), inline:
   the libm calls were a measurable share of the per-sample cost */
static inline float maxf(float a, float b) { return b > a ? b : a; }
static inline float minf(float a, float b) { return b < a ? b : a; }


/* Oldest sample index still in the ring. */
static inline uint64_t oldest(const gb_contacts *c) { return c->n > c->cap ? c->n - c->cap : 0; }

/* Initial contact of a walking step seen from the trunk whose largest smoothed
 * peak is sample k, in samples (fractional), or -1 (contacts_walk.c). */
double gb_ct_walk_step_ic(const gb_contacts *c, uint64_t k, double own_int);
/* May a peak between thr_walk and thr be a contact (contacts_walk.c)? */
int gb_ct_walk_gate(const gb_contacts *c, uint64_t k);
/* May a peak under thr_walk be a contact: a faint step one expected interval
 * after the previous contact of an established rhythm (contacts_walk.c)? */
int gb_ct_walk_faint(const gb_contacts *c, uint64_t k);
/* Can gb_ct_walk_faint() accept any peak in the detector's present state? */
static inline int gb_ct_walk_faint_possible(const gb_contacts *c) { return c->trunk && c->rhythm && c->have_last; }
/* Sample range [*lo, *hi] that holds every peak gb_ct_walk_faint() may accept
 * (one expected interval after the previous contact, within GB_CT_RHYTHM_AGREE),
 * widened by a sample each side; 0 when it accepts none (contacts_walk.c). */
int gb_ct_walk_faint_window(const gb_contacts *c, uint64_t *lo, uint64_t *hi);

/* Drops the weaker of two trunk walking contacts closer than the shortest walking
 * step inside a walking rhythm (contacts_walk.c); max_step_s: slowest step searched. */
int gb_ct_walk_drop_fast(gb_step *s, size_t *n, double max_step_s); /* -1: out of memory */

#endif
