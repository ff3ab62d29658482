/* Contacts stage on synthetic running (tests/unit/helpers/signals.h: ground truth
 * from the generator). Walking, running, a cadence surge and a stop, at 100, 500
 * and 1000 Hz, clean and noisy, with and without a cadence hint:
 *  - contact F1 ≥ 0.98 at ±25 ms;
 *  - trunk: contact time within ±10 ms and vertical oscillation within ±0.5 cm
 *    of the analytic spring-mass values;
 *  - no contacts while still, block-size invariance, low-rate note, clipping;
 *  - trunk walking: initial contact at the heel-strike kink of the loading rise
 *    (every step after the first four within ±15 ms, median error within ±5 ms);
 *  - a running contact cut by the end of the recording is still reported (its IC
 *    within ±25 ms), and a run that ends in standing gets no extra contact;
 *  - slow walking at the trunk whose steps rise only ~0.11 g above gravity (under
 *    the 0.2 g floor of normal walking) is detected once a cadence exists (F1 1 at
 *    ±25 ms, median timing error ≤ 5 ms), while the same bumps without a rhythm
 *    (standing, no cadence) are not contacts;
 *  - walking steps with two loading humps after the heel strike, the second the
 *    taller on about half of them: IC at the first hump (F1 ≥ 0.98 at ±25 ms),
 *    also while the cadence tracker reports nothing for 12 s. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gaitbatch/config.h"
#include "gait/gait_internal.h"
#include "helpers/signals.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static gb_analysis_params params(void)
{
  gb_config cfg;
  gb_config_defaults(&cfg);
  return cfg.analysis;
}

/* The analyzer passes the latest cadence estimate; emulate a tracker that reports
 * the median step cadence of the truth over the previous 8 s (it lags changes). */
static double lagged_hint(const gbt_signal *s, double t, int unilateral)
{
  double iv[256];
  int n = 0;
  for (size_t k = 1; k < s->n_steps && n < 256; k++) {
    if (s->steps[k].t_s <= t - 8 || s->steps[k].t_s > t) continue;
    double T = s->steps[k].t_s - s->steps[k - 1].t_s;
    if (unilateral) T /= 2;
    if (T < 1.0) iv[n++] = T;
  }
  if (n < 3) return 0;
  for (int a = 1; a < n; a++) {
    double y = iv[a];
    int b = a - 1;
    while (b >= 0 && iv[b] > y) { iv[b + 1] = iv[b]; b--; }
    iv[b + 1] = y;
  }
  return 60.0 / iv[n / 2];
}

typedef struct run_out {
  gb_step *st;
  size_t n;
  char note[256];
} run_out;

static void run_contacts(const gbt_signal *s, double fs, gb_location loc, double full_scale,
                         size_t block, int use_hint, run_out *o)
{
  gb_analysis_params p = params();
  gb_analyzer_input in = {fs, s->channels, loc, full_scale};
  gb_contacts *c = gb_contacts_create(&p, &in);
  assert_non_null(c);
  int uni = gb_location_is_unilateral(loc);
  for (size_t i = 0; i < s->n; i += block) {
    size_t m = i + block < s->n ? block : s->n - i;
    double t = (double)i / fs;
    double hint = use_hint ? lagged_hint(s, t, uni) : 0;
    assert_int_equal(gb_contacts_push(c, s->vert + i, s->vert + i, s->frames + i * (size_t)s->channels,
                                      m, t, hint), 0);
  }
  snprintf(o->note, sizeof o->note, "%s", gb_contacts_note(c));
  assert_int_equal(gb_contacts_finish(c, &o->st, &o->n), 0);
  gb_contacts_free(c);
}

static double score(const gbt_signal *s, const run_out *o, double tol, double *r, double *p)
{
  double *d = malloc((o->n + 1) * sizeof(double)), *t = malloc((s->n_steps + 1) * sizeof(double));
  for (size_t i = 0; i < o->n; i++) d[i] = o->st[i].t_s;
  for (size_t i = 0; i < s->n_steps; i++) t[i] = s->steps[i].t_s;
  double f1 = gbt_f1(d, o->n, t, s->n_steps, tol, r, p);
  free(d);
  free(t);
  return f1;
}

/* F1 of the contacts and truth steps at or after t_min (a rhythm must exist before
 * the rules that need one can apply). */
static double score_from(const gbt_signal *s, const run_out *o, double t_min, double tol, double *r, double *p)
{
  double *d = malloc((o->n + 1) * sizeof(double)), *t = malloc((s->n_steps + 1) * sizeof(double));
  size_t nd = 0, nt = 0;
  for (size_t i = 0; i < o->n; i++)
    if (o->st[i].t_s >= t_min - tol) d[nd++] = o->st[i].t_s;
  for (size_t i = 0; i < s->n_steps; i++)
    if (s->steps[i].t_s >= t_min) t[nt++] = s->steps[i].t_s;
  double f1 = gbt_f1(d, nd, t, nt, tol, r, p);
  free(d);
  free(t);
  return f1;
}

/* still 5 s, walk 15 s, run 30 s, surge 165→185 spm in 4 s, run 20 s, stop 10 s, run 20 s */
static void mixed_spec(gbt_spec *sp, int site, double fs, double noise)
{
  memset(sp, 0, sizeof *sp);
  sp->fs = fs;
  sp->site = site;
  sp->channels = 1;
  sp->noise_sd = noise;
  sp->seed = 1234;
  gbt_segment seg[] = {{GBT_STILL, 5, 0, 0, 1, 0.5, 0, 0, 0},    {GBT_WALK, 15, 110, 110, 1, 0.5, 0, 0, 0},
                       {GBT_RUN, 30, 165, 165, 1, 0.5, 0, 0, 0},  {GBT_RUN, 4, 165, 185, 1.2, 0.5, 0, 0, 0},
                       {GBT_RUN, 20, 185, 185, 1.2, 0.5, 0, 0, 0}, {GBT_STILL, 10, 0, 0, 1, 0.5, 0, 0, 0},
                       {GBT_RUN, 20, 170, 170, 1, 0.5, 0, 0, 0}};
  sp->n_seg = 7;
  memcpy(sp->seg, seg, sizeof seg);
}

static void check_site(int site, gb_location loc, double noise_noisy)
{
  const double rates[] = {100, 500, 1000};
  for (int ri = 0; ri < 3; ri++)
    for (int nz = 0; nz < 2; nz++)
      for (int h = 0; h < 2; h++) {
        gbt_spec sp;
        mixed_spec(&sp, site, rates[ri], nz ? noise_noisy : 0);
        gbt_signal s;
        assert_int_equal(gbt_build(&sp, &s), 0);
        run_out o;
        run_contacts(&s, rates[ri], loc, 0, 997, h, &o);
        double r, p, f1 = score(&s, &o, 0.025, &r, &p);
        printf("  %s %4.0f Hz noise %.2f hint %d: truth %zu detected %zu F1 %.4f (R %.4f P %.4f)\n",
               gb_location_name(loc), rates[ri], sp.noise_sd, h, s.n_steps, o.n, f1, r, p);
        assert_true(f1 >= 0.98);
        if (site == GBT_SITE_TRUNK) {
          /* contact time and oscillation on matched running steps */
          double ct = 0, vo = 0;
          int nct = 0, nvo = 0;
          for (size_t i = 0; i < s.n_steps; i++) {
            if (s.steps[i].kind != GBT_RUN) continue;
            for (size_t k = 0; k < o.n; k++) {
              if (fabs(o.st[k].t_s - s.steps[i].t_s) > 0.025) continue;
              if (isfinite(o.st[k].contact_time_ms)) { ct += o.st[k].contact_time_ms - s.steps[i].ct_s * 1000; nct++; }
              if (isfinite(o.st[k].vertical_osc_cm)) { vo += o.st[k].vertical_osc_cm - s.steps[i].vo_cm; nvo++; }
              break;
            }
          }
          assert_true(nct > 100 && nvo > 100);
          printf("    contact time bias %+.1f ms, vertical oscillation bias %+.2f cm\n", ct / nct, vo / nvo);
          assert_true(fabs(ct / nct) <= 10.0);
          assert_true(fabs(vo / nvo) <= 0.5);
        }
        free(o.st);
        gbt_free(&s);
      }
}

static void test_trunk_contacts(void **state)
{
  (void)state;
  check_site(GBT_SITE_TRUNK, GB_LOC_SACRUM, 0.05);
}

static void test_shank_contacts(void **state)
{
  (void)state;
  check_site(GBT_SITE_SHANK, GB_LOC_TIBIA, 0.10);
}

static void test_still_gives_no_contacts(void **state)
{
  (void)state;
  gbt_spec sp;
  memset(&sp, 0, sizeof sp);
  sp.fs = 500;
  sp.channels = 1;
  sp.noise_sd = 0.1; /* ten times a MEMS noise floor */
  sp.seed = 99;
  sp.n_seg = 1;
  sp.seg[0].kind = GBT_STILL;
  sp.seg[0].dur_s = 60;
  gbt_signal s;
  assert_int_equal(gbt_build(&sp, &s), 0);
  for (int site = 0; site < 2; site++) {
    run_out o;
    run_contacts(&s, sp.fs, site ? GB_LOC_TIBIA : GB_LOC_SACRUM, 0, 1000, 0, &o);
    assert_int_equal(o.n, 0);
    free(o.st);
  }
  gbt_free(&s);
}

static void test_block_size_invariance(void **state)
{
  (void)state;
  gbt_spec sp;
  mixed_spec(&sp, GBT_SITE_TRUNK, 500, 0.05);
  gbt_signal s;
  assert_int_equal(gbt_build(&sp, &s), 0);
  run_out a, b;
  gb_analysis_params p = params();
  /* the hint is constant here so that only the block size differs */
  gb_analyzer_input in = {500, 1, GB_LOC_SACRUM, 0};
  size_t blocks[2] = {1, 4096};
  run_out *outs[2] = {&a, &b};
  for (int k = 0; k < 2; k++) {
    gb_contacts *c = gb_contacts_create(&p, &in);
    for (size_t i = 0; i < s.n; i += blocks[k]) {
      size_t m = i + blocks[k] < s.n ? blocks[k] : s.n - i;
      assert_int_equal(gb_contacts_push(c, s.vert + i, s.vert + i, s.frames + i, m, (double)i / 500, 170), 0);
    }
    assert_int_equal(gb_contacts_finish(c, &outs[k]->st, &outs[k]->n), 0);
    gb_contacts_free(c);
  }
  assert_int_equal(a.n, b.n);
  assert_true(a.n > 100);
  assert_memory_equal(a.st, b.st, a.n * sizeof(gb_step));
  free(a.st);
  free(b.st);
  gbt_free(&s);
}

static void test_low_rate_has_no_landing(void **state)
{
  (void)state;
  gbt_spec sp;
  mixed_spec(&sp, GBT_SITE_SHANK, 50, 0);
  gbt_signal s;
  assert_int_equal(gbt_build(&sp, &s), 0);
  run_out o;
  run_contacts(&s, 50, GB_LOC_TIBIA, 0, 500, 1, &o);
  assert_true(o.n > 50);
  for (size_t i = 0; i < o.n; i++) {
    assert_true(isnan(o.st[i].impact_ratio));
    assert_int_equal(o.st[i].landing, GB_LANDING_UNKNOWN);
    assert_true(isfinite(o.st[i].peak_g));
  }
  assert_non_null(strstr(o.note, "50 Hz"));
  free(o.st);
  gbt_free(&s);
}

static void test_clipping(void **state)
{
  (void)state;
  for (int known = 0; known < 2; known++) {
    gbt_spec sp;
    memset(&sp, 0, sizeof sp);
    sp.fs = 1000;
    sp.site = GBT_SITE_SHANK;
    sp.channels = 1;
    sp.clip_g = 4.0; /* rearfoot impacts (~6 g) clip, midfoot ones (~5.8 g) too: use share 1 */
    sp.seed = 5;
    sp.n_seg = 2;
    sp.seg[0] = (gbt_segment){GBT_RUN, 20, 170, 170, 1, 1.0, 0, 0, 0};
    sp.seg[1] = (gbt_segment){GBT_RUN, 20, 170, 170, 0.4, 1.0, 0, 0, 0}; /* peaks ~3 g: no clip */
    gbt_signal s;
    assert_int_equal(gbt_build(&sp, &s), 0);
    run_out o;
    run_contacts(&s, 1000, GB_LOC_TIBIA, known ? 4.0 : 0.0, 1000, 1, &o);
    size_t c1 = 0, n1 = 0, c2 = 0, n2 = 0;
    for (size_t i = 0; i < o.n; i++) {
      if (o.st[i].t_s < 19.5) { n1++; c1 += o.st[i].clipped != 0; }
      else if (o.st[i].t_s > 20.5) { n2++; c2 += o.st[i].clipped != 0; }
    }
    printf("  full scale %s: clipped %zu/%zu (clipping part), %zu/%zu (below range)\n",
           known ? "known" : "unknown", c1, n1, c2, n2);
    assert_true(n1 > 20 && n2 > 20);
    assert_int_equal(c1, n1);
    assert_int_equal(c2, 0);
    free(o.st);
    gbt_free(&s);
  }
}

/* still 3 s, walk 30 s at 110 spm, still 3 s */
static void walk_spec(gbt_spec *sp, double fs, double noise)
{
  memset(sp, 0, sizeof *sp);
  sp->fs = fs;
  sp->site = GBT_SITE_TRUNK;
  sp->channels = 1;
  sp->noise_sd = noise;
  sp->seed = 77;
  sp->n_seg = 3;
  sp->seg[0] = (gbt_segment){GBT_STILL, 3, 0, 0, 1, 0.5, 0, 0, 0};
  sp->seg[1] = (gbt_segment){GBT_WALK, 30, 110, 110, 1, 0.5, 0, 0, 0};
  sp->seg[2] = (gbt_segment){GBT_STILL, 3, 0, 0, 1, 0.5, 0, 0, 0};
}

static int cmp_abs(const void *a, const void *b)
{
  double x = fabs(*(const double *)a), y = fabs(*(const double *)b);
  return (x > y) - (x < y);
}

static void test_walking_ic_timing(void **state)
{
  (void)state;
  const double rates[] = {100, 500, 1000};
  for (int ri = 0; ri < 3; ri++) {
    gbt_spec sp;
    walk_spec(&sp, rates[ri], 0.02);
    gbt_signal s;
    assert_int_equal(gbt_build(&sp, &s), 0);
    run_out o;
    run_contacts(&s, rates[ri], GB_LOC_SACRUM, 0, 1000, 1, &o);
    double err[128];
    size_t ne = 0, worst = 0;
    for (size_t i = 4; i < s.n_steps && ne < 128; i++) { /* after the first four: a rhythm exists */
      double best = 1e9;
      for (size_t k = 0; k < o.n; k++)
        if (fabs(o.st[k].t_s - s.steps[i].t_s) < fabs(best)) best = o.st[k].t_s - s.steps[i].t_s;
      err[ne++] = best;
      if (fabs(best) > 0.015) worst++;
    }
    qsort(err, ne, sizeof *err, cmp_abs);
    printf("  walking %4.0f Hz: %zu steps scored, median |error| %.1f ms, max %.1f ms, %zu beyond 15 ms\n",
           rates[ri], ne, fabs(err[ne / 2]) * 1000, fabs(err[ne - 1]) * 1000, worst);
    assert_true(ne > 40);
    assert_int_equal(worst, 0);
    assert_true(fabs(err[ne / 2]) <= 0.005);
    /* walking: no contact time (double support is not resolved) */
    for (size_t k = 0; k < o.n; k++) assert_true(isnan(o.st[k].contact_time_ms));
    free(o.st);
    gbt_free(&s);
  }
}

static void test_contact_cut_by_the_end(void **state)
{
  (void)state;
  const double rates[] = {100, 500, 1000};
  const double cut_ms[] = {20, 30, 45};
  for (int ri = 0; ri < 3; ri++)
    for (int ci = 0; ci < 3; ci++) {
      gbt_spec sp;
      memset(&sp, 0, sizeof sp);
      sp.fs = rates[ri];
      sp.site = GBT_SITE_TRUNK;
      sp.channels = 1;
      sp.noise_sd = 0.02;
      sp.seed = 31 + (uint64_t)ci;
      sp.n_seg = 2;
      sp.seg[0] = (gbt_segment){GBT_STILL, 2, 0, 0, 1, 0.5, 0, 0, 0};
      sp.seg[1] = (gbt_segment){GBT_RUN, 12, 170, 170, 1, 0.5, 0, 0, 0};
      gbt_signal s;
      assert_int_equal(gbt_build(&sp, &s), 0);
      /* end the recording cut_ms after the initial contact of a step near the end */
      size_t last = s.n_steps - 3;
      double t_end = s.steps[last].t_s + cut_ms[ci] / 1000.0;
      size_t n_cut = (size_t)floor(t_end * sp.fs);
      assert_true(n_cut < s.n);
      s.n = n_cut;
      run_out o;
      run_contacts(&s, sp.fs, GB_LOC_SACRUM, 0, 1000, 1, &o);
      s.n_steps = last + 1;
      double r, p, f1 = score(&s, &o, 0.025, &r, &p);
      double tl = o.n ? o.st[o.n - 1].t_s : 0;
      printf("  cut %2.0f ms after IC at %4.0f Hz: truth %zu detected %zu, last IC error %+.1f ms, F1 %.3f\n",
             cut_ms[ci], sp.fs, s.n_steps, o.n, (tl - s.steps[last].t_s) * 1000, f1);
      assert_int_equal(o.n, s.n_steps);
      assert_true(fabs(tl - s.steps[last].t_s) <= 0.025);
      assert_true(f1 >= 0.98);
      free(o.st);
      gbt_free(&s);
    }
  /* a run that ends in standing: no contact after the last one */
  gbt_spec sp;
  memset(&sp, 0, sizeof sp);
  sp.fs = 250;
  sp.site = GBT_SITE_TRUNK;
  sp.channels = 1;
  sp.noise_sd = 0.02;
  sp.seed = 8;
  sp.n_seg = 3;
  sp.seg[0] = (gbt_segment){GBT_STILL, 2, 0, 0, 1, 0.5, 0, 0, 0};
  sp.seg[1] = (gbt_segment){GBT_RUN, 12, 170, 170, 1, 0.5, 0, 0, 0};
  sp.seg[2] = (gbt_segment){GBT_STILL, 0.3, 0, 0, 1, 0.5, 0, 0, 0};
  gbt_signal s;
  assert_int_equal(gbt_build(&sp, &s), 0);
  run_out o;
  run_contacts(&s, sp.fs, GB_LOC_SACRUM, 0, 1000, 1, &o);
  printf("  run then 0.3 s standing: truth %zu detected %zu\n", s.n_steps, o.n);
  assert_int_equal(o.n, s.n_steps);
  free(o.st);
  gbt_free(&s);
}

/* Slow walking seen from the lower back: step peaks only ~0.11 g above gravity
 * (below the 0.2 g floor of normal walking, above the slow-walking floor), with
 * the cadence hint of a tracker. Every step is a contact (generator truth). */
static void test_slow_walk_low_amplitude(void **state)
{
  (void)state;
  const double rates[] = {100, 500};
  for (int ri = 0; ri < 2; ri++) {
    gbt_spec sp;
    walk_spec(&sp, rates[ri], 0.01);
    sp.seg[1] = (gbt_segment){GBT_WALK, 30, 100, 100, 0.4, 0.5, 0, 0, 0}; /* rise 0.4·0.4·(1 − 1/π) g */
    gbt_signal s;
    assert_int_equal(gbt_build(&sp, &s), 0);
    double rise = s.steps[5].peak_g - 1.0;
    run_out o;
    run_contacts(&s, rates[ri], GB_LOC_SACRUM, 0, (size_t)rates[ri], 1, &o);
    /* scored once the tracker has a cadence (3 intervals, ~2 s into the walk;
       6.3 s lies between two steps) */
    double r, p, f1 = score_from(&s, &o, 6.3, 0.025, &r, &p), r_all, p_all;
    score(&s, &o, 0.025, &r_all, &p_all);
    double err[128];
    size_t ne = 0;
    for (size_t i = 0; i < s.n_steps && ne < 128; i++) {
      double best = 1e9;
      for (size_t k = 0; k < o.n; k++)
        if (fabs(o.st[k].t_s - s.steps[i].t_s) < fabs(best)) best = o.st[k].t_s - s.steps[i].t_s;
      if (fabs(best) <= 0.025) err[ne++] = best;
    }
    qsort(err, ne, sizeof *err, cmp_abs);
    printf("  slow walk %4.0f Hz, step peak %.3f g above 1 g: truth %zu detected %zu F1 %.3f (R %.3f P %.3f), "
           "median |error| %.1f ms\n", rates[ri], rise, s.n_steps, o.n, f1, r, p, ne ? fabs(err[ne / 2]) * 1000 : NAN);
    assert_true(rise > 0.08 && rise < 0.15);
    assert_true(f1 >= 0.98);
    assert_true(p_all >= 0.98); /* nothing while standing before and after */
    assert_true(ne > 40 && fabs(err[ne / 2]) <= 0.005);
    free(o.st);
    gbt_free(&s);
  }
}

/* The same small bumps without a rhythm (one every 5 s while standing, no
 * cadence hint) are not steps: the slow-walking floor applies inside walking
 * only. */
static void test_isolated_small_bumps_are_not_contacts(void **state)
{
  (void)state;
  gbt_spec sp;
  memset(&sp, 0, sizeof sp);
  sp.fs = 100;
  sp.channels = 1;
  sp.noise_sd = 0.01;
  sp.seed = 4;
  sp.n_seg = 1;
  sp.seg[0] = (gbt_segment){GBT_STILL, 60, 0, 0, 1, 0.5, 0, 0, 0};
  gbt_signal s;
  assert_int_equal(gbt_build(&sp, &s), 0);
  for (double t = 3; t < 58; t += 5)
    for (size_t i = (size_t)ceil(t * sp.fs); i < s.n && (double)i / sp.fs < t + 0.25; i++) {
      s.vert[i] += (float)(0.12 * sin(M_PI * ((double)i / sp.fs - t) / 0.25));
      s.frames[i] = s.vert[i];
    }
  run_out o;
  run_contacts(&s, sp.fs, GB_LOC_SACRUM, 0, 1000, 0, &o);
  printf("  11 isolated 0.12 g bumps while standing: %zu contacts\n", o.n);
  assert_int_equal(o.n, 0);
  free(o.st);
  gbt_free(&s);
}

/* Walking steps with two loading humps after the heel strike (a loading peak,
 * a dip, a second peak 150 ms later, as lower-back sensors often show), the
 * second one the taller on about half of the steps (seeded): the IC is the
 * foot of the first hump on every step. Built here: truth = the start of each
 * first hump. */
static void test_two_hump_steps(void **state)
{
  (void)state;
  /* the third run: the tracker reports no cadence from 15 to 27 s (a window of
     low confidence), the contacts keep the last one while they go on at it */
  const double rates[] = {100, 200, 100};
  for (int ri = 0; ri < 3; ri++) {
    double fs = rates[ri], T = 0.55, t_walk0 = 3, t_walk1 = 38;
    gbt_signal s;
    assert_int_equal(gbt_blank(&s, (size_t)(41 * fs), 128), 0);
    uint64_t rng = 17;
    for (double t = t_walk0; t + T <= t_walk1; t += T) {
      double a1 = 0.45, a2 = 0.45 * (0.85 + 0.3 * gbt_rand01(&rng)); /* second hump 0.85-1.15 × first */
      for (size_t i = (size_t)ceil(t * fs); i < s.n && (double)i / fs < t + T; i++) {
        double x = (double)i / fs - t, y = 0;
        if (x < 0.07) y = a1 * sin(M_PI * x / 0.07);
        else if (x < 0.15) y = -0.25 * sin(M_PI * (x - 0.07) / 0.08);
        else if (x < 0.22) y = a2 * sin(M_PI * (x - 0.15) / 0.07);
        else y = -0.12 * sin(M_PI * (x - 0.22) / (T - 0.22));
        s.vert[i] += (float)y;
      }
      s.steps[s.n_steps++] = (gbt_truth_step){t, 0, 0, 0, GBT_WALK, (int)(s.n_steps % 2), 0};
    }
    gbt_add_gravity_noise(&s, 0.01, 5);
    s.frames = s.vert;
    gb_analysis_params p = params();
    gb_analyzer_input in = {fs, 1, GB_LOC_SACRUM, 0};
    gb_contacts *c = gb_contacts_create(&p, &in);
    assert_non_null(c);
    size_t blk = (size_t)(fs / 4);
    for (size_t i = 0; i < s.n; i += blk) {
      size_t m = i + blk < s.n ? blk : s.n - i;
      double ti = (double)i / fs;
      double hint = ti > t_walk0 + 4 ? 60.0 / T : 0; /* a tracker's first estimate */
      if (ri == 2 && ti >= 15 && ti < 27) hint = 0;
      assert_int_equal(gb_contacts_push(c, s.vert + i, s.vert + i, s.vert + i, m, (double)i / fs, hint), 0);
    }
    run_out o;
    assert_int_equal(gb_contacts_finish(c, &o.st, &o.n), 0);
    gb_contacts_free(c);
    /* scored once the rhythm is known (the cadence hint, 4 s into the walk; 8.3 s
       lies between two steps) */
    double r, pr, f1 = score_from(&s, &o, t_walk0 + 5.3, 0.025, &r, &pr);
    printf("  two-hump steps %3.0f Hz%s: truth %zu detected %zu F1 %.3f (R %.3f P %.3f)\n", fs,
           ri == 2 ? ", no cadence 15-27 s" : "", s.n_steps, o.n, f1, r, pr);

    assert_true(f1 >= 0.98);
    free(o.st);
    s.frames = NULL;
    gbt_free(&s);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_trunk_contacts),        cmocka_unit_test(test_shank_contacts),
      cmocka_unit_test(test_still_gives_no_contacts), cmocka_unit_test(test_block_size_invariance),
      cmocka_unit_test(test_low_rate_has_no_landing), cmocka_unit_test(test_clipping),
      cmocka_unit_test(test_walking_ic_timing),       cmocka_unit_test(test_contact_cut_by_the_end),
      cmocka_unit_test(test_slow_walk_low_amplitude), cmocka_unit_test(test_isolated_small_bumps_are_not_contacts),
      cmocka_unit_test(test_two_hump_steps),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
