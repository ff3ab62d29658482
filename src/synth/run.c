/* One synthetic recording: streams blocks of frames (steps -> body model -> trunk lean ->
 * orientation -> gravity -> noise -> clipping -> quantisation -> file) and writes the truth
 * folder in the format of notes/truth_format.md (see include/gaitbatch/synth.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaitbatch/status.h"
#include "synth/synth_internal.h"
#include "util/errbuf.h"

#define BLOCK 1024
#define LOOKAHEAD_S 2.5 /* > two step intervals at the lowest cadence (60 spm) */
#define DEG 0.017453292519943295

/* Flag thresholds of the truth (DESIGN §7; the analysis' defaults must match these):
 * impact.high: mean PTA > 8 g on a tibia sensor (Crowell & Davis, Clin Biomech 2011);
 * landing.rearfoot: rearfoot share > 0.5 (majority of steps); posture.trunk_lean: lean > 20 deg
 * or drift > 5 deg (Teng & Powers, MSSE 2014: +~10 deg lean shifts load to the hip);
 * cadence.low: running cadence < 160 steps/min (Heiderscheit et al., MSSE 2011);
 * gait.asymmetry: > 10 % (Zifchock et al., Gait Posture 2008: >10 % beyond normal asymmetry);
 * quality.clipping: > 2 % of steps clipped; quality.low_rate: < 100 Hz (impact band to 20 Hz+). */
#define PTA_HIGH_G 8.0
#define REARFOOT_SHARE 0.5
#define LEAN_DEG 20.0
#define LEAN_DRIFT_DEG 5.0
#define CADENCE_LOW 160.0
#define ASYM_PCT 10.0
#define CLIP_SHARE 0.02
#define LOW_RATE_HZ 100.0

typedef struct queue {
  synth_step *v;
  size_t head, n, cap;
} queue;

static int queue_push(queue *q, const synth_step *s)
{
  if (q->head > 0 && q->head + q->n == q->cap) {
    memmove(q->v, q->v + q->head, q->n * sizeof *q->v);
    q->head = 0;
  }
  if (q->head + q->n == q->cap) {
    size_t nc = q->cap ? 2 * q->cap : 64;
    synth_step *p = realloc(q->v, nc * sizeof *p);
    if (!p) return GB_ENOMEM;
    q->v = p;
    q->cap = nc;
  }
  q->v[q->head + q->n++] = *s;
  return GB_OK;
}

typedef struct truth_acc {
  int64_t n, n_clip, n_run, n_rear, n_pta;
  double pta_sum, tc_sum;
} truth_acc;

static void step_row(FILE *f, const synth_step *s, double fs_g, truth_acc *a, int sensor_side)
{
  double pk = s->peak_g < -1e29 ? NAN : s->peak_g;
  if (pk > fs_g) pk = fs_g; /* the sensor cannot report more than its full scale */
  fprintf(f, "%.4f,%d,%s,%.1f,", s->t, s->side, s->rearfoot ? "rearfoot" : "midfoot", s->tc * 1000.0);
  if (isfinite(pk)) fprintf(f, "%.3f\n", pk);
  else fputs("\n", f);
  a->n++;
  a->n_clip += s->clipped;
  if (s->kind == SYNTH_RUN) {
    a->n_run++;
    a->n_rear += s->rearfoot;
    a->tc_sum += s->tc;
    if (s->side == sensor_side && isfinite(pk)) {
      a->n_pta++;
      a->pta_sum += pk;
    }
  }
}

static int is_trunk(gb_location l) { return l == GB_LOC_SACRUM || l == GB_LOC_TRUNK; }

static void rot_matrix(const double deg[3], double R[3][3])
{
  double cr = cos(deg[0] * DEG), sr = sin(deg[0] * DEG);
  double cp = cos(deg[1] * DEG), sp = sin(deg[1] * DEG);
  double cy = cos(deg[2] * DEG), sy = sin(deg[2] * DEG);
  /* Rz(yaw) * Ry(pitch) * Rx(roll) */
  R[0][0] = cy * cp; R[0][1] = cy * sp * sr - sy * cr; R[0][2] = cy * sp * cr + sy * sr;
  R[1][0] = sy * cp; R[1][1] = sy * sp * sr + cy * cr; R[1][2] = sy * sp * cr - cy * sr;
  R[2][0] = -sp;     R[2][1] = cp * sr;                R[2][2] = cp * cr;
}

static FILE *open_truth(const char *tdir, const char *name, const char *header, char *err,
                        size_t errlen, int *st)
{
  char p[GB_PATH_MAX];
  int len = snprintf(p, sizeof p, "%s/%s", tdir, name);
  if (len < 0 || (size_t)len >= sizeof p) {
    *st = gb_err(err, errlen, GB_ERANGE, "%s/%s: path longer than %d bytes", tdir, name,
                 GB_PATH_MAX - 1);
    return NULL;
  }
  FILE *f = fopen(p, "w");
  if (!f) {
    *st = gb_err(err, errlen, GB_EIO, "%s: cannot create", p);
    return NULL;
  }
  fputs(header, f);
  return f;
}

static int write_cadence(const synth_profile *prof, double dur, FILE *f, double *mean_run)
{
  int64_t nsec = (int64_t)ceil(dur - 1e-9);
  double sum = 0;
  int64_t n = 0;
  synth_state st;
  for (int64_t i = 0; i < nsec; i++) {
    double t1 = (double)(i + 1) < dur ? (double)(i + 1) : dur;
    double c = synth_profile_mean_cadence(prof, (double)i, t1);
    fprintf(f, "%.1f,%.3f\n", (double)i + 0.5, c);
    synth_profile_eval(prof, (double)i + 0.5, &st);
    if (st.kind == SYNTH_RUN && c > 0) {
      sum += c;
      n++;
    }
  }
  *mean_run = n ? sum / (double)n : 0.0;
  return GB_OK;
}

static void write_flags(FILE *f, const gb_synth_spec *s, const synth_profile *p, const truth_acc *a,
                        double cad_mean_run, double dur)
{
  double rate = s->sample_rate_hz;
  int impact_ok = rate >= LOW_RATE_HZ;
  double rf = a->n_run ? (double)a->n_rear / (double)a->n_run : 0.0;
  double pta = a->n_pta ? a->pta_sum / (double)a->n_pta : 0.0;
  int walkrun = s->walk_s > 0 && s->run_s > 0;
  if (p->b <= p->a) goto quality;
  if (s->location == GB_LOC_TIBIA && impact_ok && pta > PTA_HIGH_G)
    fprintf(f, "impact.high,%.3f,%.3f\n", p->a, p->b);
  /* landing is told from distal sensors only (a wrist cannot; no validated trunk method) */
  if ((s->location == GB_LOC_TIBIA || s->location == GB_LOC_FOOT) && impact_ok && a->n_run > 0 &&
      rf > REARFOOT_SHARE)
    fprintf(f, "landing.rearfoot,%.3f,%.3f\n", p->a, p->b);
  if (is_trunk(s->location) && s->channels == 3 &&
      (fabs(s->trunk_lean_deg + s->trunk_lean_drift_deg / 2) > LEAN_DEG ||
       fabs(s->trunk_lean_drift_deg) > LEAN_DRIFT_DEG))
    fprintf(f, "posture.trunk_lean,%.3f,%.3f\n", p->a, p->b);
  if (a->n_run > 0 && cad_mean_run > 0 && cad_mean_run < CADENCE_LOW)
    fprintf(f, "cadence.low,%.3f,%.3f\n", p->a, p->run_end);
  if (!walkrun && p->warm_end <= p->a)
    fprintf(f, "warmup.missing,%.3f,%.3f\n", p->a, p->a + fmin(120.0, (p->run_end - p->a) / 4));
  for (int i = 0; i < p->n_surges; i++)
    fprintf(f, "intensity.surge,%.3f,%.3f\n", p->surge_t[i], p->surge_t[i] + 6.0 + s->surge_s);
  for (int i = 0; i < p->n_stops; i++)
    fprintf(f, "event.abrupt_stop,%.3f,%.3f\n", p->stop_t[i], p->stop_t[i] + 1.0);
  if (s->abrupt_end && !walkrun) fprintf(f, "event.abrupt_stop,%.3f,%.3f\n", p->run_end - 1.0, p->run_end);
  if (!walkrun && p->fat_start < p->run_end)
    fprintf(f, "fatigue.drift,%.3f,%.3f\n", p->fat_start, p->run_end);
  if (impact_ok && p->irr1 > p->irr0 && s->irregular_cv > 0.2)
    fprintf(f, "surface.irregular,%.3f,%.3f\n", p->irr0, p->irr1);
  if (is_trunk(s->location) && impact_ok && s->asymmetry_pct > ASYM_PCT)
    fprintf(f, "gait.asymmetry,%.3f,%.3f\n", p->a, p->run_end);
quality:
  if (a->n > 0 && (double)a->n_clip / (double)a->n > CLIP_SHARE) fprintf(f, "quality.clipping,0,%.3f\n", dur);
  if (!impact_ok) fprintf(f, "quality.low_rate,0,%.3f\n", dur);
}

int gb_synth_run(const gb_synth_spec *s, const char *dir, const char *run_id, gb_synth_result *res,
                 char *err, size_t errlen)
{
  int st = gb_synth_spec_check(s, err, errlen);
  if (st) return st;
  if (!dir || !run_id || !*run_id) return gb_err(err, errlen, GB_EINVAL, "synth: output folder and run id required");
  char path[GB_PATH_MAX], tdir[GB_PATH_MAX];
  snprintf(tdir, sizeof tdir, "%s/truth", dir);
  if (synth_mkdir(tdir)) return gb_err(err, errlen, GB_EIO, "%s: cannot create folder", tdir);
  snprintf(tdir, sizeof tdir, "%s/truth/%s", dir, run_id);
  if (synth_mkdir(tdir)) return gb_err(err, errlen, GB_EIO, "%s: cannot create folder", tdir);
  snprintf(path, sizeof path, "%s/%s.%s", dir, run_id, gb_synth_format_ext(s->format));

  synth_profile prof;
  synth_profile_build(&prof, s);
  synth_stepgen gen;
  synth_stepgen_init(&gen, &prof, s);
  synth_body body;
  synth_body_init(&body, s->location, s->sensor_side);
  synth_rng noise;
  synth_rng_seed(&noise, s->seed, 2);

  double fs = s->sample_rate_hz, full = s->full_scale_g, qstep = synth_quant_step(s);
  int64_t total = llround(s->duration_s * fs);
  double dur = (double)total / fs;
  int nch = s->channels;
  double R[3][3];
  rot_matrix(s->orient_deg, R);
  /* long axis of the segment in sensor axes (used for truth peaks) */
  double lax[3] = {R[0][2], R[1][2], R[2][2]};
  double lean0 = is_trunk(s->location) ? s->trunk_lean_deg : 0.0;
  double drift = is_trunk(s->location) ? s->trunk_lean_drift_deg : 0.0;
  double lean_w = 0.0;                          /* 0 upright .. 1 full running lean */
  double lean_alpha = 1.0 - exp(-1.0 / (0.5 * fs)); /* posture changes with a 0.5 s time constant */

  synth_writer *w = NULL;
  FILE *fsteps = NULL, *fcad = NULL, *fev = NULL, *frun = NULL, *fflag = NULL;
  double *ap = malloc(BLOCK * sizeof *ap), *ml = malloc(BLOCK * sizeof *ml), *vv = malloc(BLOCK * sizeof *vv);
  double *proj = malloc(BLOCK * sizeof *proj);
  unsigned char *clipf = malloc(BLOCK);
  float *out = malloc(BLOCK * 3 * sizeof *out);
  queue q = {0};
  truth_acc acc = {0};
  if (!ap || !ml || !vv || !proj || !clipf || !out) {
    st = gb_err(err, errlen, GB_ENOMEM, "synth: out of memory");
    goto done;
  }
  st = synth_writer_open(&w, path, s, err, errlen);
  if (st) goto done;
  fsteps = open_truth(tdir, "steps.csv", "t_s,side,landing,contact_time_ms,peak_g\n", err, errlen, &st);
  if (!fsteps) goto done;

  for (int64_t n0 = 0; n0 < total; n0 += BLOCK) {
    size_t nb = (size_t)(total - n0 < BLOCK ? total - n0 : BLOCK);
    double t_end = (double)(n0 + (int64_t)nb) / fs;
    /* generate steps ahead of the block so every step in it knows its successors */
    while (!gen.done && (q.n == 0 || q.v[q.head + q.n - 1].t < t_end + LOOKAHEAD_S)) {
      synth_step ns;
      if (!synth_stepgen_next(&gen, &ns)) break;
      if (q.n > 0) {
        synth_step *prev = &q.v[q.head + q.n - 1];
        if (prev->bout == ns.bout) prev->S = prev->T + ns.T;
      }
      if (queue_push(&q, &ns)) {
        st = gb_err(err, errlen, GB_ENOMEM, "synth: out of memory");
        goto done;
      }
    }
    memset(ap, 0, nb * sizeof *ap);
    memset(ml, 0, nb * sizeof *ml);
    memset(vv, 0, nb * sizeof *vv);
    for (size_t k = 0; k < q.n; k++) {
      const synth_step *sp = &q.v[q.head + k];
      if (sp->t >= t_end) break;
      synth_body_add(&body, sp, n0, nb, fs, ap, ml, vv);
    }
    for (size_t i = 0; i < nb; i++) {
      double t = (double)(n0 + (int64_t)i) / fs;
      double f[3] = {ap[i], ml[i], vv[i] + 1.0}; /* specific force: + 1 g up */
      /* the runner stands upright and leans while moving (half the lean when walking) */
      synth_state ps;
      synth_profile_eval(&prof, t, &ps);
      double target = ps.kind == SYNTH_RUN ? 1.0 : ps.kind == SYNTH_WALK ? 0.5 : 0.0;
      lean_w += (target - lean_w) * lean_alpha;
      double span = prof.b > prof.a ? prof.b - prof.a : 1.0;
      double u = (t - prof.a) / span;
      u = u < 0 ? 0 : u > 1 ? 1 : u;
      double th = lean_w * (lean0 + drift * u) * DEG;
      double c = cos(th), sn = sin(th);
      double g[3] = {c * f[0] - sn * f[2], f[1], sn * f[0] + c * f[2]};
      double o[3];
      int clip = 0;
      for (int r = 0; r < 3; r++) {
        o[r] = R[r][0] * g[0] + R[r][1] * g[1] + R[r][2] * g[2];
        if (s->noise_g > 0) o[r] += s->noise_g * synth_rng_gauss(&noise);
      }
      for (int r = 0; r < 3; r++) {
        if (nch == 1 && r < 2) continue;
        if (o[r] > full) { o[r] = full; clip = 1; }
        if (o[r] < -full) { o[r] = -full; clip = 1; }
        if (qstep > 0) {
          double k = nearbyint(o[r] / qstep);
          if (k > 32767) k = 32767;
          if (k < -32768) k = -32768;
          o[r] = k * qstep;
        }
        o[r] = (double)(float)o[r];
      }
      if (nch == 3) {
        out[3 * i] = (float)o[0];
        out[3 * i + 1] = (float)o[1];
        out[3 * i + 2] = (float)o[2];
        proj[i] = o[0] * lax[0] + o[1] * lax[1] + o[2] * lax[2];
      } else {
        out[i] = (float)o[2];
        proj[i] = o[2];
      }
      clipf[i] = (unsigned char)clip;
    }
    /* truth peaks over each step's contact window [t, t + min(tc, T)] */
    for (size_t k = 0; k < q.n; k++) {
      synth_step *sp = &q.v[q.head + k];
      if (sp->t >= t_end) break;
      int64_t a = (int64_t)ceil(sp->t * fs), b = (int64_t)floor((sp->t + fmin(sp->tc, sp->T)) * fs);
      if (a < n0) a = n0;
      if (b > n0 + (int64_t)nb - 1) b = n0 + (int64_t)nb - 1;
      for (int64_t j = a; j <= b; j++) {
        size_t i = (size_t)(j - n0);
        if (proj[i] > sp->peak_g) sp->peak_g = proj[i];
        sp->clipped |= clipf[i];
      }
    }
    st = synth_writer_write(w, out, nb, n0, err, errlen);
    if (st) goto done;
    /* retire steps whose contribution and window are over */
    while (q.n > 0) {
      synth_step *sp = &q.v[q.head];
      if (sp->t + synth_step_support(sp) + 0.1 >= t_end) break;
      step_row(fsteps, sp, full, &acc, s->sensor_side);
      q.head++;
      q.n--;
    }
  }
  while (q.n > 0) {
    if (q.v[q.head].t < dur) step_row(fsteps, &q.v[q.head], full, &acc, s->sensor_side);
    q.head++;
    q.n--;
  }
  st = synth_writer_close(w, err, errlen);
  w = NULL;
  if (st) goto done;

  double cad_mean = 0;
  fcad = open_truth(tdir, "cadence.csv", "t_s,cadence_spm\n", err, errlen, &st);
  if (!fcad) goto done;
  write_cadence(&prof, dur, fcad, &cad_mean);
  fev = open_truth(tdir, "events.csv", "kind,t_start_s,t_end_s,value\n", err, errlen, &st);
  if (!fev) goto done;
  synth_profile_events(&prof, fev);
  fflag = open_truth(tdir, "flags.csv", "code,t_start_s,t_end_s\n", err, errlen, &st);
  if (!fflag) goto done;
  write_flags(fflag, s, &prof, &acc, cad_mean, dur);

  double rf = acc.n_run ? (double)acc.n_rear / (double)acc.n_run : 0.0;
  double tc_ms = acc.n_run ? 1000.0 * acc.tc_sum / (double)acc.n_run : 0.0;
  double pta = acc.n_pta ? acc.pta_sum / (double)acc.n_pta : 0.0;
  frun = open_truth(tdir, "run.csv", "key,value\n", err, errlen, &st);
  if (!frun) goto done;
  fprintf(frun, "duration_s,%.6f\n", dur);
  fprintf(frun, "location,%s\n", gb_location_name(s->location));
  fprintf(frun, "sample_rate_hz,%g\n", fs);
  fprintf(frun, "landing_pattern,%s\n", acc.n_run == 0 ? "unknown" : rf > 0.6 ? "rearfoot" : rf < 0.4 ? "midfoot" : "mixed");
  fprintf(frun, "rearfoot_share,%.4f\n", rf);
  /* mean lean while running: the lean drifts linearly over the moving span */
  fprintf(frun, "trunk_lean_deg,%.3f\n", s->trunk_lean_deg + s->trunk_lean_drift_deg / 2);
  fprintf(frun, "trunk_lean_drift_deg,%.3f\n", s->trunk_lean_drift_deg);
  fprintf(frun, "contact_time_ms,%.2f\n", tc_ms);
  fprintf(frun, "cadence_mean_spm,%.3f\n", cad_mean);
  fprintf(frun, "n_steps,%lld\n", (long long)acc.n);
  fprintf(frun, "scenario,%s\n", s->scenario[0] ? s->scenario : "custom");
  fprintf(frun, "sensor_side,%d\n", s->sensor_side);
  fprintf(frun, "pta_mean_g,%.4f\n", pta);
  fprintf(frun, "clipped_share,%.5f\n", acc.n ? (double)acc.n_clip / (double)acc.n : 0.0);
  fprintf(frun, "full_scale_g,%g\n", full);
  fprintf(frun, "channels,%d\n", nch);
  fprintf(frun, "seed,%llu\n", (unsigned long long)s->seed);
  if (res) {
    res->frames = total;
    res->duration_s = dur;
    res->n_steps = acc.n;
    res->n_clipped_steps = acc.n_clip;
    res->rearfoot_share = rf;
    res->pta_mean_g = pta;
    res->cadence_mean_spm = cad_mean;
    res->contact_time_ms = tc_ms;
  }
done:
  if (w) synth_writer_close(w, NULL, 0);
  FILE *fl[] = {fsteps, fcad, fev, frun, fflag};
  for (size_t i = 0; i < sizeof fl / sizeof *fl; i++)
    if (fl[i] && fclose(fl[i]) != 0 && st == GB_OK) st = gb_err(err, errlen, GB_EIO, "%s: truth write failed", tdir);
  free(ap); free(ml); free(vv); free(proj); free(clipf); free(out); free(q.v);
  return st;
}
