/* The 3-channel, decimating path of gb_preproc_run in SSE2 (two doubles per
 * instruction), bit for bit the values of the frame-by-frame reference path
 * (gb_preproc_run_reference; test_preprocess_paths compares the two).
 *
 * Why: preprocessing is bound by the floating-point units, not by memory. Per
 * frame the reference does ~70 scalar double operations, two square roots and a
 * division, and its five filter recurrences (three gravity sections, a cascade of
 * two anti-alias sections) each wait ~12 cycles on themselves. Here
 *   - the x and y gravity sections run as one two-lane section (z alone);
 *   - the projection and |a| of two frames share their square roots, division
 *     and products;
 *   - the anti-alias cascade runs its two stages side by side, stage 0 on frame
 *     j in lane 0 and stage 1 on frame j - 1 in lane 1, so one two-lane section
 *     does the work of both (frame j's anti-aliased value is known one frame
 *     later; the decimation takes it then);
 *   - the slow-block sums go two per instruction.
 * Each lane performs exactly the scalar operations of the reference, in the
 * same order (IEEE-754 add, multiply, divide and square root are exact per
 * lane), so for finite input every output and state is identical. (After a
 * non-finite frame, which the analyzer refuses before it gets here, the sign of
 * a NaN left in a filter state can differ: NaN propagation follows operand
 * order.) Preprocessing stage (gaitbatch bench,
 * CPU, medians): 1 h at 500 Hz 17-18 -> 15 ms; 24 h at 100 Hz 86-88 -> 79-81 ms. */
#include "gait/preprocess.h"

#ifdef GB_PREPROC_SSE2

/* Gravity of two frames: x, y as one two-lane section, z scalar; then a · ĝ and
 * |a| of both frames (lane 0 = frame f, lane 1 = frame f + 3). */
typedef struct grav3 {
  __m128d b0, b1, b2, a1, a2, z1, z2; /* x, y sections (lanes 0, 1) */
  double sb0, sb1, sb2, sa1, sa2, zz1, zz2;
} grav3;

static inline __m128d grav_xy(grav3 *g, __m128d x)
{
  const __m128d y = _mm_add_pd(_mm_mul_pd(g->b0, x), g->z1);
  g->z1 = _mm_add_pd(_mm_sub_pd(_mm_mul_pd(g->b1, x), _mm_mul_pd(g->a1, y)), g->z2);
  g->z2 = _mm_sub_pd(_mm_mul_pd(g->b2, x), _mm_mul_pd(g->a2, y));
  return y;
}

static inline double grav_z(grav3 *g, double x)
{
  const double y = g->sb0 * x + g->zz1;
  g->zz1 = g->sb1 * x - g->sa1 * y + g->zz2;
  g->zz2 = g->sb2 * x - g->sa2 * y;
  return y;
}

static inline __m128d load_xy(const float *f)
{
  return _mm_cvtps_pd(_mm_castsi128_ps(_mm_loadl_epi64((const __m128i *)f)));
}

/* Two frames at f: their vertical values (v), |a| (mg), and x/y (xy0, xy1) and z
 * (zz) as doubles for the sums. */
static inline void two_frames(grav3 *g, const float *f, __m128d *v, __m128d *mg, __m128d *xy0,
                              __m128d *xy1, __m128d *zz)
{
  const __m128d x0 = load_xy(f), x1 = load_xy(f + 3);
  const double z0 = f[2], z1 = f[5];
  const __m128d g0 = grav_xy(g, x0);
  const double gz0 = grav_z(g, z0);
  const __m128d g1 = grav_xy(g, x1);
  const double gz1 = grav_z(g, z1);
  const __m128d gx = _mm_unpacklo_pd(g0, g1), gy = _mm_unpackhi_pd(g0, g1), gz = _mm_set_pd(gz1, gz0);
  const __m128d ax = _mm_unpacklo_pd(x0, x1), ay = _mm_unpackhi_pd(x0, x1), az = _mm_set_pd(z1, z0);
  const __m128d gn = _mm_sqrt_pd(_mm_add_pd(_mm_add_pd(_mm_mul_pd(gx, gx), _mm_mul_pd(gy, gy)), _mm_mul_pd(gz, gz)));
  const __m128d m = _mm_sqrt_pd(_mm_add_pd(_mm_add_pd(_mm_mul_pd(ax, ax), _mm_mul_pd(ay, ay)), _mm_mul_pd(az, az)));
  const __m128d dot = _mm_add_pd(_mm_add_pd(_mm_mul_pd(ax, gx), _mm_mul_pd(ay, gy)), _mm_mul_pd(az, gz));
  /* gn > 1e-6 (false for NaN): a · ĝ; otherwise (free fall) the norm */
  const __m128d ok = _mm_cmpgt_pd(gn, _mm_set1_pd(1e-6));
  const __m128d q = _mm_div_pd(dot, _mm_or_pd(_mm_and_pd(ok, gn), _mm_andnot_pd(ok, _mm_set1_pd(1.0))));
  *v = _mm_or_pd(_mm_and_pd(ok, q), _mm_andnot_pd(ok, m));
  *mg = m;
  *xy0 = x0;
  *xy1 = x1;
  *zz = az;
}

/* The anti-alias cascade, both stages in one two-lane section. */
typedef struct aa2 {
  __m128d b0, b1, b2, a1, a2, z1, z2; /* lane 0: stage 0, lane 1: stage 1 */
} aa2;

/* Stage 0 on v (frame j) beside stage 1 on u (stage 0's output for frame j - 1);
 * returns stage 0's output for frame j in lane 0, frame j - 1's anti-aliased
 * value in lane 1. */
static inline __m128d aa_step(aa2 *s, double v, double u)
{
  const __m128d x = _mm_set_pd(u, v);
  const __m128d y = _mm_add_pd(_mm_mul_pd(s->b0, x), s->z1);
  s->z1 = _mm_add_pd(_mm_sub_pd(_mm_mul_pd(s->b1, x), _mm_mul_pd(s->a1, y)), s->z2);
  s->z2 = _mm_sub_pd(_mm_mul_pd(s->b2, x), _mm_mul_pd(s->a2, y));
  return y;
}

static inline double lo(__m128d a) { return _mm_cvtsd_f64(a); }
static inline double hi(__m128d a) { return _mm_cvtsd_f64(_mm_unpackhi_pd(a, a)); }

/* Slow-block sums, two per instruction: (x, y), (z, |a|), (v, |a|^2), and v^2. */
typedef struct sums {
  __m128d xy, zm, vq;
  double vv;
  size_t n;
} sums;

/* Adds one frame; emits a slow row when the block is full (frame index i of
 * this call, for the row's time). */
static inline void sums_add(gb_preproc *p, sums *s, __m128d xy, double z, double m, double v, size_t i,
                            gb_slow_row *slow, size_t *ns)
{
  s->xy = _mm_add_pd(s->xy, xy);
  s->zm = _mm_add_pd(s->zm, _mm_set_pd(m, z));
  s->vq = _mm_add_pd(s->vq, _mm_set_pd(m * m, v));
  s->vv += v * v;
  if (++s->n == p->block_len) {
    p->blk_n = s->n;
    p->blk_sx = lo(s->xy), p->blk_sy = hi(s->xy), p->blk_sz = lo(s->zm), p->blk_sm = hi(s->zm);
    p->blk_sv = lo(s->vq), p->blk_smm = hi(s->vq), p->blk_svv = s->vv;
    p->n_in += i + 1; /* the row is dated from n_in */
    gb_preproc_slow_emit(p, &slow[(*ns)++]);
    p->n_in -= i + 1;
    s->xy = s->zm = s->vq = _mm_setzero_pd();
    s->vv = 0;
    s->n = 0;
  }
}

size_t gb_preproc_run_sse2(gb_preproc *p, const float *frames, size_t n, float *vert, float *mag,
                           float *dec, size_t *n_dec, gb_slow_row *slow, size_t *n_slow)
{
  const size_t n2 = n & ~(size_t)1;
  if (n2 < 2) return 0;
  const unsigned dfac = p->dec_factor;
  grav3 g;
  {
    const gb_biquad *q = &p->grav[0]; /* the three gravity sections share their coefficients */
    g.b0 = _mm_set1_pd(q->b0), g.b1 = _mm_set1_pd(q->b1), g.b2 = _mm_set1_pd(q->b2);
    g.a1 = _mm_set1_pd(q->a1), g.a2 = _mm_set1_pd(q->a2);
    g.z1 = _mm_set_pd(p->grav[1].z1, p->grav[0].z1), g.z2 = _mm_set_pd(p->grav[1].z2, p->grav[0].z2);
    g.sb0 = q->b0, g.sb1 = q->b1, g.sb2 = q->b2, g.sa1 = q->a1, g.sa2 = q->a2;
    g.zz1 = p->grav[2].z1, g.zz2 = p->grav[2].z2;
  }
  sums s = {_mm_set_pd(p->blk_sy, p->blk_sx), _mm_set_pd(p->blk_sm, p->blk_sz),
            _mm_set_pd(p->blk_smm, p->blk_sv), p->blk_svv, p->blk_n};
  size_t nd = 0, ns = 0;
  unsigned phase = p->dec_phase; /* of the next frame whose anti-aliased value is known */
  gb_biquad st0 = p->aa[0], st1 = p->aa[1];
  aa2 a;
  double u = 0; /* stage 0's output of the previous frame, not yet through stage 1 */
  for (size_t i = 0; i < n2; i += 2) {
    __m128d v2, m2, xy0, xy1, z2;
    two_frames(&g, frames + i * 3, &v2, &m2, &xy0, &xy1, &z2);
    _mm_storel_pi((__m64 *)(vert + i), _mm_cvtpd_ps(v2));
    _mm_storel_pi((__m64 *)(mag + i), _mm_cvtpd_ps(m2));
    const double v0 = lo(v2), v1 = hi(v2);
    __m128d y;
    if (i == 0) {
      /* the first frame of the call: stage 0 alone (stage 1 has nothing
         pending), then the two-lane section takes over */
      u = gb_biquad_step(&st0, v0);
      a.b0 = _mm_set1_pd(st0.b0), a.b1 = _mm_set1_pd(st0.b1), a.b2 = _mm_set1_pd(st0.b2);
      a.a1 = _mm_set1_pd(st0.a1), a.a2 = _mm_set1_pd(st0.a2);
      a.z1 = _mm_set_pd(st1.z1, st0.z1), a.z2 = _mm_set_pd(st1.z2, st0.z2);
    } else {
      y = aa_step(&a, v0, u);
      u = lo(y);
      if (phase == 0) dec[nd++] = (float)hi(y);
      if (++phase == dfac) phase = 0;
    }
    y = aa_step(&a, v1, u);
    u = lo(y);
    if (phase == 0) dec[nd++] = (float)hi(y);
    if (++phase == dfac) phase = 0;
    sums_add(p, &s, xy0, lo(z2), lo(m2), v0, i, slow, &ns);
    sums_add(p, &s, xy1, hi(z2), hi(m2), v1, i + 1, slow, &ns);
  }
  /* the last frame through stage 1; the states back into the sections */
  st0.z1 = lo(a.z1), st0.z2 = lo(a.z2), st1.z1 = hi(a.z1), st1.z2 = hi(a.z2);
  {
    const double last = gb_biquad_step(&st1, u);
    if (phase == 0) dec[nd++] = (float)last;
    if (++phase == dfac) phase = 0;
  }
  p->aa[0] = st0, p->aa[1] = st1;
  p->grav[0].z1 = lo(g.z1), p->grav[1].z1 = hi(g.z1), p->grav[0].z2 = lo(g.z2), p->grav[1].z2 = hi(g.z2);
  p->grav[2].z1 = g.zz1, p->grav[2].z2 = g.zz2;
  p->dec_phase = phase;
  p->blk_n = s.n;
  p->blk_sx = lo(s.xy), p->blk_sy = hi(s.xy), p->blk_sz = lo(s.zm), p->blk_sm = hi(s.zm);
  p->blk_sv = lo(s.vq), p->blk_smm = hi(s.vq), p->blk_svv = s.vv;
  p->n_in += n2;
  *n_dec = nd;
  *n_slow = ns;
  return n2;
}

#endif
