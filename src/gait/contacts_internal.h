/* Internal state of the contact detector (contacts.c), shared with the trunk
 * walking initial-contact rules (contacts_walk.c). Not part of the public API. */
#ifndef GB_GAIT_CONTACTS_INTERNAL_H
#define GB_GAIT_CONTACTS_INTERNAL_H

#include <math.h>
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
  double *osc;      /* osc_cap: scratch of vertical_osc (one step's samples), kept between steps */
  size_t osc_cap;
  double *cs, *sn; /* n_bins x nw: cos / sin(2 pi f i / fs); NULL = computed per step */

  gb_step *steps;
  size_t n_steps, cap_steps;
};

static inline float rv(const gb_contacts *c, const float *a, uint64_t k) { return a[k & c->mask]; }
/* fmaxf/fminf for finite operands (every value in the rings is finite), inline:
   the libm calls were a measurable share of the per-sample cost */
static inline float maxf(float a, float b) { return b > a ? b : a; }
static inline float minf(float a, float b) { return b < a ? b : a; }

/* Largest / smallest of `start` and ring a over sample indices [i0, i1) (all still
 * in the ring). The ring is walked in its contiguous runs through four
 * accumulators: one running max waited ~4 cycles per sample on the last, four
 * overlap. Exact: max and min of finite values do not depend on the order
 * (equal values differ at most in the sign of a zero, which no comparison or
 * difference sees). */
static inline float ring_extreme(const gb_contacts *c, const float *a, uint64_t i0, uint64_t i1,
                                 float start, int want_max)
{
  float m0 = start, m1 = start, m2 = start, m3 = start;
  while (i0 < i1) {
    const size_t s = (size_t)(i0 & c->mask), room = (size_t)c->mask + 1 - s;
    const size_t n = i1 - i0 < room ? (size_t)(i1 - i0) : room;
    const float *x = a + s;
    size_t i = 0;
    if (want_max) {
      for (; i + 4 <= n; i += 4) {
        m0 = maxf(m0, x[i]);
        m1 = maxf(m1, x[i + 1]);
        m2 = maxf(m2, x[i + 2]);
        m3 = maxf(m3, x[i + 3]);
      }
      for (; i < n; i++) m0 = maxf(m0, x[i]);
    } else {
      for (; i + 4 <= n; i += 4) {
        m0 = minf(m0, x[i]);
        m1 = minf(m1, x[i + 1]);
        m2 = minf(m2, x[i + 2]);
        m3 = minf(m3, x[i + 3]);
      }
      for (; i < n; i++) m0 = minf(m0, x[i]);
    }
    i0 += n;
  }
  return want_max ? maxf(maxf(m0, m1), maxf(m2, m3)) : minf(minf(m0, m1), minf(m2, m3));
}
static inline float ring_max(const gb_contacts *c, const float *a, uint64_t i0, uint64_t i1, float start)
{
  return ring_extreme(c, a, i0, i1, start, 1);
}
static inline float ring_min(const gb_contacts *c, const float *a, uint64_t i0, uint64_t i1, float start)
{
  return ring_extreme(c, a, i0, i1, start, 0);
}
/* First index of the largest sample of ring a in [i0, i1) (i0 < i1), as a scan
 * keeping the first strictly larger value finds it: the maximum first
 * (ring_max), then the first sample equal to it. */
static inline uint64_t ring_argmax(const gb_contacts *c, const float *a, uint64_t i0, uint64_t i1)
{
  const float m = ring_max(c, a, i0, i1, a[i0 & c->mask]);
  uint64_t j = i0;
  while (j + 1 < i1 && a[j & c->mask] != m) j++;
  return j;
}
/* 1 when a sample of ring a in [i0, i1) lies above y (or_equal: at least y):
 * ring_max over blocks of 32 samples, stopping at the first block that has one. */
static inline int ring_any_above(const gb_contacts *c, const float *a, uint64_t i0, uint64_t i1, float y,
                                 int or_equal)
{
  for (uint64_t b = i0; b < i1; b += 32) {
    const float m = ring_max(c, a, b, i1 - b < 32 ? i1 : b + 32, -INFINITY);
    if (or_equal ? m >= y : m > y) return 1;
  }
  return 0;
}


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
