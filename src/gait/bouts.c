#include "gait/bouts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gait/cadence.h"
#include "gaitbatch/status.h"
#include "util/select.h"

struct gb_bouts {
  gb_analysis_params p;
  float *sd;          /* pooled |a| SD per second */
  size_t n_sd, cap_sd;
  long cur;           /* second being accumulated, -1 before the first row */
  double s_m, s_mm, s_vv;
  size_t s_n;
};

gb_bouts *gb_bouts_create(const gb_analysis_params *p)
{
  gb_bouts *b = calloc(1, sizeof *b);
  if (!b) return NULL;
  b->p = *p;
  b->cur = -1;
  return b;
}

void gb_bouts_free(gb_bouts *b)
{
  if (!b) return;
  free(b->sd);
  free(b);
}

static int put_sd(gb_bouts *b, size_t idx, float v)
{
  if (idx >= b->cap_sd) {
    size_t cap = b->cap_sd ? b->cap_sd * 2 : 256;
    while (cap <= idx) cap *= 2;
    float *n = realloc(b->sd, cap * sizeof *n);
    if (!n) return GB_ENOMEM;
    b->sd = n;
    b->cap_sd = cap;
  }
  /* seconds without rows (cannot happen with a contiguous stream) read as still */
  for (size_t i = b->n_sd; i < idx; i++) b->sd[i] = 0;
  b->sd[idx] = v;
  b->n_sd = idx + 1;
  return 0;
}

static int close_second(gb_bouts *b)
{
  if (b->cur < 0 || b->s_n == 0) return 0;
  /* pooled SD of |a| over the second: within-block variance + variance of means */
  double n = (double)b->s_n, m = b->s_m / n;
  double var = b->s_vv / n + (b->s_mm / n - m * m);
  int rc = put_sd(b, (size_t)b->cur, (float)sqrt(var > 0 ? var : 0));
  b->s_m = b->s_mm = b->s_vv = 0;
  b->s_n = 0;
  return rc;
}

int gb_bouts_push(gb_bouts *b, const gb_slow_row *rows, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    long sec = (long)floor(rows[i].t_s);
    if (sec < 0) sec = 0;
    if (sec != b->cur) {
      int rc = close_second(b);
      if (rc) return rc;
      b->cur = sec;
    }
    b->s_m += rows[i].mag_mean;
    b->s_mm += (double)rows[i].mag_mean * rows[i].mag_mean;
    b->s_vv += (double)rows[i].mag_sd * rows[i].mag_sd;
    b->s_n++;
  }
  return 0;
}

static float median_inplace(float *v, size_t n)
{
  if (n == 0) return 0;
  return gb_median_f_inplace(v, n);
}

/* Cadence of the row whose window centre is nearest t (rows sorted by time). */
static float cadence_at(const gb_cadence_row *cad, size_t n, double t, size_t *hint)
{
  if (n == 0) return 0;
  size_t i = *hint;
  while (i + 1 < n && fabs(cad[i + 1].t_s - t) <= fabs(cad[i].t_s - t)) i++;
  *hint = i;
  return cad[i].cadence_spm;
}

/* One linear pass: bouts shorter than thr go into their longer neighbour;
 * adjacent bouts of the same kind are joined. Returns the new count. */
static size_t merge_pass(gb_bout *v, size_t n, double thr)
{
  size_t out = 0;
  for (size_t i = 0; i < n; i++) {
    gb_bout s = v[i];
    double len = s.t_end_s - s.t_start_s;
    if (len < thr && (out > 0 || i + 1 < n)) {
      double lp = out > 0 ? v[out - 1].t_end_s - v[out - 1].t_start_s : -1;
      double ln = i + 1 < n ? v[i + 1].t_end_s - v[i + 1].t_start_s : -1;
      if (lp >= ln) {
        v[out - 1].t_end_s = s.t_end_s;
      } else {
        v[i + 1].t_start_s = s.t_start_s;
      }
      continue;
    }
    if (out > 0 && v[out - 1].kind == s.kind) {
      v[out - 1].t_end_s = s.t_end_s;
    } else {
      v[out++] = s;
    }
  }
  return out;
}

int gb_bouts_finish(gb_bouts *b, const gb_cadence_row *cad, size_t n_cad, double duration_s,
                    gb_step *steps, size_t n_steps, gb_bout **out, size_t *n_out)
{
  *out = NULL;
  *n_out = 0;
  int rc = close_second(b);
  if (rc) return rc;
  size_t n_sec = (size_t)ceil(duration_s - 1e-9);
  if (n_sec == 0 || b->n_sd == 0) return 0;
  gb_bout *v = malloc(n_sec * sizeof *v);
  if (!v) return GB_ENOMEM;
  size_t nb = 0, hint = 0;
  for (size_t s = 0; s < n_sec; s++) {
    float sd = s < b->n_sd ? b->sd[s] : b->sd[b->n_sd - 1];
    float cadence = cadence_at(cad, n_cad, (double)s + 0.5, &hint);
    int kind;
    if (sd < b->p.still_sd_g) kind = GB_BOUT_STILL;
    else if (cadence > 0 && cadence >= b->p.running_min_spm && sd >= GB_RUN_SD_G) kind = GB_BOUT_RUNNING;
    else if (cadence > 0) kind = GB_BOUT_WALKING;
    else kind = GB_BOUT_OTHER;
    double t1 = (double)(s + 1) < duration_s ? (double)(s + 1) : duration_s;
    if (nb > 0 && v[nb - 1].kind == kind) {
      v[nb - 1].t_end_s = t1;
    } else {
      v[nb].t_start_s = (double)s;
      v[nb].t_end_s = t1;
      v[nb].kind = kind;
      v[nb].n_steps = 0;
      v[nb].cadence_spm = 0;
      nb++;
    }
  }
  /* growing thresholds: 1-s flickers go first, so a short bout joins the
   * neighbour that is long in the cleaned sequence */
  for (double thr = 1; nb > 1; thr += 1) {
    double t = thr < b->p.min_bout_s ? thr : b->p.min_bout_s;
    size_t prev;
    do {
      prev = nb;
      nb = merge_pass(v, nb, t);
    } while (nb < prev && nb > 1);
    if (t >= b->p.min_bout_s) break;
  }

  /* per-bout step count, median window cadence, and the steps' bout kind */
  float *tmp = malloc((n_cad > n_steps ? n_cad : n_steps) * sizeof(float) + sizeof(float));
  if (!tmp) {
    free(v);
    return GB_ENOMEM;
  }
  size_t ic = 0, is = 0;
  for (size_t k = 0; k < nb; k++) {
    size_t m = 0;
    while (ic < n_cad && cad[ic].t_s < v[k].t_start_s) ic++;
    for (size_t j = ic; j < n_cad && cad[j].t_s < v[k].t_end_s; j++)
      if (cad[j].cadence_spm > 0) tmp[m++] = cad[j].cadence_spm;
    size_t first = is;
    while (is < n_steps && (steps[is].t_s < v[k].t_end_s || k + 1 == nb)) {
      steps[is].bout_kind = (int8_t)v[k].kind;
      is++;
    }
    v[k].n_steps = (int32_t)(is - first);
    /* a cadence only where there is gait; windows straddling a stop do not count */
    if (v[k].kind != GB_BOUT_WALKING && v[k].kind != GB_BOUT_RUNNING) continue;
    if (m > 0) {
      v[k].cadence_spm = median_inplace(tmp, m);
    } else if (is - first >= 2) {
      size_t q = 0;
      for (size_t j = first + 1; j < is; j++) {
        double dt = steps[j].t_s - steps[j - 1].t_s;
        if (dt > 0) tmp[q++] = (float)(60.0 / dt);
      }
      v[k].cadence_spm = median_inplace(tmp, q);
    }
  }
  free(tmp);
  /* v was sized for one bout per second (2.7 MB for 24 h) and lives on in the
   * result until the report is written: keep only the merged bouts */
  if (nb > 0 && nb < n_sec) {
    gb_bout *shrunk = realloc(v, nb * sizeof *v);
    if (shrunk) v = shrunk;
  }
  *out = v;
  *n_out = nb;
  return 0;
}
