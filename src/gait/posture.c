/* Trunk posture from the slow stream (trunk and sacrum sensors with 3 channels).
 *
 * Upright reference: the mean acceleration direction (= gravity) over the first
 * still segment (|a| SD < still_sd_g on every 0.1 s row) lasting at least
 * lean_ref_still_s. Without one, the sensor axis most aligned with the mean
 * gravity direction over the moving time (the declared mounting axis).
 * Lean: the angle between the low-passed gravity direction and the reference, one
 * row per second of movement. Gravity is low-passed as the mean acceleration over
 * a centred 3 s span: over whole strides the dynamic acceleration of steady gait
 * averages to ~0, so the mean is the gravity direction (an accelerometer-only tilt
 * needs a low-pass gravity estimate: research notes §3, trunk posture).
 * 1-channel sensors, and sites other than trunk/sacrum, give no lean rows.
 * Memory: per-second sums of moving seconds (an output-sized table). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gaitbatch/status.h"
#include "gait/gait_internal.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define GB_PS_SPAN 1 /* seconds on each side of the centre second in the low-pass */

typedef struct sec_row {
  long sec;
  double g[3];
  int n;
} sec_row;

struct gb_posture {
  int enabled;
  double still_sd, ref_still_s;
  int have_ref;
  double ref[3];
  double run_g[3];   /* current still run */
  size_t run_n;
  long cur_sec;
  double sec_g[3];
  int sec_n, sec_moving;
  double mov_g[3];   /* all moving rows, for the axis fallback */
  size_t mov_n;
  sec_row *rows;
  size_t n, cap;
};

gb_posture *gb_posture_create(const gb_analysis_params *p, const gb_analyzer_input *in)
{
  if (!p || !in) return NULL;
  gb_posture *ps = calloc(1, sizeof *ps);
  if (!ps) return NULL;
  ps->enabled = in->channels == 3 && (in->location == GB_LOC_TRUNK || in->location == GB_LOC_SACRUM);
  ps->still_sd = p->still_sd_g;
  ps->ref_still_s = p->lean_ref_still_s;
  ps->cur_sec = -1;
  return ps;
}

static void close_still_run(gb_posture *ps)
{
  if (!ps->have_ref && ps->run_n > 0 &&
      (double)ps->run_n * GB_SLOW_BLOCK_S >= ps->ref_still_s - 1e-9) {
    double m = sqrt(ps->run_g[0] * ps->run_g[0] + ps->run_g[1] * ps->run_g[1] + ps->run_g[2] * ps->run_g[2]);
    if (m > 0) {
      for (int i = 0; i < 3; i++) ps->ref[i] = ps->run_g[i] / m;
      ps->have_ref = 1;
    }
  }
  ps->run_n = 0;
  ps->run_g[0] = ps->run_g[1] = ps->run_g[2] = 0;
}

static int close_second(gb_posture *ps)
{
  /* a second counts as movement when most of its rows are not still */
  if (ps->sec_n > 0 && 2 * ps->sec_moving > ps->sec_n) {
    if (ps->n == ps->cap) {
      size_t nc = ps->cap ? 2 * ps->cap : 256;
      sec_row *t = realloc(ps->rows, nc * sizeof *t);
      if (!t) return GB_ENOMEM;
      ps->rows = t;
      ps->cap = nc;
    }
    sec_row *r = &ps->rows[ps->n++];
    r->sec = ps->cur_sec;
    memcpy(r->g, ps->sec_g, sizeof r->g);
    r->n = ps->sec_n;
  }
  ps->sec_g[0] = ps->sec_g[1] = ps->sec_g[2] = 0;
  ps->sec_n = ps->sec_moving = 0;
  return 0;
}

int gb_posture_push(gb_posture *ps, const gb_slow_row *rows, size_t n)
{
  if (!ps || (n && !rows)) return GB_EINVAL;
  if (!ps->enabled) return 0;
  for (size_t i = 0; i < n; i++) {
    const gb_slow_row *r = &rows[i];
    if (!isfinite(r->gx) || !isfinite(r->gy) || !isfinite(r->gz) || !isfinite(r->mag_sd)) continue;
    double g[3] = {r->gx, r->gy, r->gz};
    int still = r->mag_sd < ps->still_sd;
    if (still && !ps->have_ref) {
      for (int k = 0; k < 3; k++) ps->run_g[k] += g[k];
      ps->run_n++;
    } else if (!still) {
      close_still_run(ps);
    }
    long sec = (long)floor(r->t_s);
    if (sec != ps->cur_sec) {
      int rc = close_second(ps);
      if (rc) return rc;
      ps->cur_sec = sec;
    }
    for (int k = 0; k < 3; k++) ps->sec_g[k] += g[k];
    ps->sec_n++;
    if (!still) {
      ps->sec_moving++;
      for (int k = 0; k < 3; k++) ps->mov_g[k] += g[k];
      ps->mov_n++;
    }
  }
  return 0;
}

int gb_posture_finish(gb_posture *ps, gb_lean_row **out, size_t *n_out)
{
  if (!ps || !out || !n_out) return GB_EINVAL;
  *out = NULL;
  *n_out = 0;
  if (!ps->enabled) return 0;
  close_still_run(ps);
  int rc = close_second(ps);
  if (rc) return rc;
  if (ps->n == 0) return 0;
  if (!ps->have_ref) {
    /* the declared axis: the sensor axis closest to mean gravity, with its sign */
    int best = 0;
    for (int k = 1; k < 3; k++)
      if (fabs(ps->mov_g[k]) > fabs(ps->mov_g[best])) best = k;
    memset(ps->ref, 0, sizeof ps->ref);
    ps->ref[best] = ps->mov_g[best] >= 0 ? 1.0 : -1.0;
  }
  gb_lean_row *o = malloc(ps->n * sizeof *o);
  if (!o) return GB_ENOMEM;
  size_t m = 0;
  for (size_t i = 0; i < ps->n; i++) {
    double g[3] = {0, 0, 0};
    /* centred mean over neighbouring seconds that are contiguous with this one */
    for (size_t j = i >= GB_PS_SPAN ? i - GB_PS_SPAN : 0; j < ps->n && j <= i + GB_PS_SPAN; j++) {
      long d = ps->rows[j].sec - ps->rows[i].sec;
      if (d < -GB_PS_SPAN || d > GB_PS_SPAN) continue;
      for (int k = 0; k < 3; k++) g[k] += ps->rows[j].g[k];
    }
    double gm = sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]);
    if (!(gm > 0)) continue;
    double c = (g[0] * ps->ref[0] + g[1] * ps->ref[1] + g[2] * ps->ref[2]) / gm;
    if (c > 1) c = 1;
    if (c < -1) c = -1;
    o[m].t_s = (double)ps->rows[i].sec + 0.5;
    o[m].lean_deg = (float)(acos(c) * 180.0 / M_PI);
    m++;
  }
  *out = o;
  *n_out = m;
  return 0;
}

void gb_posture_free(gb_posture *ps)
{
  if (!ps) return;
  free(ps->rows);
  free(ps);
}
