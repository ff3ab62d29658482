/* The streaming analyzer (analyzer.h): glue between preprocess, cadence, bouts
 * (this module's stages) and contacts, posture, events, summary (gait_internal.h). */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gait/bouts.h"
#include "gait/cadence.h"
#include "gait/gait_internal.h"
#include "gait/preprocess.h"
#include "gaitbatch/config.h"
#include "gaitbatch/status.h"
#include "util/select.h"
#include "util/errbuf.h"

/* Highest sample rate the analyzer accepts, Hz (same bound as the readers). */
#define GB_ANALYZER_RATE_MAX_HZ 100000.0

/* Frames preprocessed per inner step: bounds the scratch buffers (~45 KB). */
#define GB_CHUNK 1024

struct gb_analyzer {
  gb_analysis_params p;
  gb_risk_params risk;   /* event thresholds: gb_analyzer_set_risk() or the defaults */
  gb_analyzer_input in;
  char err[512];
  int failed, finished;
  gb_preproc pre;
  gb_cadence *cad;
  gb_bouts *bouts;
  gb_contacts *contacts;
  gb_posture *posture;
  gb_cadence_table rows;
  uint64_t n_frames;     /* frames run through the stages (a multiple of GB_CHUNK until finish) */
  uint64_t n_pushed;     /* frames accepted by push (n_frames + n_pend) */
  double hint_spm;
  gb_stage_times times;  /* wall (CLOCK_MONOTONIC) sums; see mono_s() */
  double cpu0, wall0;    /* thread CPU and wall clock at create */
  float vert[GB_CHUNK], mag[GB_CHUNK], dec[GB_CHUNK + 1];
  gb_slow_row slow[GB_CHUNK + 1];
  /* frames of the chunk not yet complete: chunks start at absolute multiples of
   * GB_CHUNK from the recording start, so the cadence hint given to contacts (updated
   * once per chunk) and every stage call are the same for any split into pushes */
  size_t n_pend;
  float pend[GB_CHUNK * 3];
};

/* Stage timing for `gaitbatch bench` (never affects results). Thread CPU time
 * (CLOCK_THREAD_CPUTIME_ID) is a system call of ~1.7 us on the project VM, five
 * per 1024-frame chunk cost ~8 ns per frame, as much as decoding FLAC; the
 * vDSO CLOCK_MONOTONIC costs ~40 ns (CLOCK_MONOTONIC_COARSE, ~6 ns, ticks every
 * 4 ms: far coarser than one chunk). Stages are therefore timed with
 * CLOCK_MONOTONIC, and gb_analyzer_stage_times() converts the sums to CPU time
 * with the thread's CPU/wall ratio over the analyzer's life (two CPU clock reads
 * per file): time lost to preemption on a busy machine is spread over the stages
 * in proportion, instead of being charged to whichever stage was running. */
static double mono_s(void)
{
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return 0;
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double cpu_s(void)
{
  struct timespec ts;
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) return 0;
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int fail(gb_analyzer *a, int status, const char *what)
{
  a->failed = 1;
  if (!a->err[0]) gb_err(a->err, sizeof a->err, status, "%s", what);
  return status;
}

static int check_params(gb_analyzer *a, const gb_analysis_params *p)
{
  if (!(p->window_s > 0) || !(p->hop_s > 0))
    return gb_err(a->err, sizeof a->err, GB_EINVAL,
                  "analysis window_s %g / hop_s %g: expected both > 0", p->window_s, p->hop_s);
  if (!(p->cadence_min_spm > 0) || !(p->cadence_max_spm > p->cadence_min_spm))
    return gb_err(a->err, sizeof a->err, GB_EINVAL,
                  "cadence band %g..%g spm: expected 0 < min < max", p->cadence_min_spm,
                  p->cadence_max_spm);
  if (!(p->gravity_cutoff_hz > 0))
    return gb_err(a->err, sizeof a->err, GB_EINVAL, "gravity_cutoff_hz %g: expected > 0",
                  p->gravity_cutoff_hz);
  return 0;
}

int gb_analyzer_create(const gb_analysis_params *params, const gb_analyzer_input *in,
                       gb_analyzer **out)
{
  *out = NULL;
  gb_analyzer *a = calloc(1, sizeof *a);
  if (!a) return GB_ENOMEM;
  *out = a;
  if (!params || !in) {
    a->failed = 1;
    return gb_err(a->err, sizeof a->err, GB_EINVAL, "analyzer: parameters and input are required");
  }
  a->cpu0 = cpu_s();
  a->wall0 = mono_s();
  a->p = *params;
  a->in = *in;
  {
    gb_config defaults;
    gb_config_defaults(&defaults);
    a->risk = defaults.risk;
  }
  int rc;
  if (!(in->sample_rate_hz > 0) || !isfinite(in->sample_rate_hz)) {
    a->failed = 1;
    return gb_err(a->err, sizeof a->err, GB_ERANGE, "sample rate %g Hz: expected a finite rate > 0",
                  in->sample_rate_hz);
  }
  if (in->channels != 1 && in->channels != 3) {
    a->failed = 1;
    return gb_err(a->err, sizeof a->err, GB_EUNSUPPORTED,
                  "%d channels: expected 1 (long axis) or 3 (x, y, z)", in->channels);
  }
  if ((rc = check_params(a, params))) {
    a->failed = 1;
    return rc;
  }
  /* The fastest step rate must lie below Nyquist, or every cadence would be an
   * alias (a 1 Hz "accelerometer" is a corrupt header, not a recording); the top
   * bound keeps the ring buffers (seconds × rate) to a sane size whatever a header
   * declares. 100 kHz is far above any gait sensor (≤ 3.2 kHz). */
  {
    double fmin = 2.0 * params->cadence_max_spm / 60.0;
    if (in->sample_rate_hz <= fmin || in->sample_rate_hz > GB_ANALYZER_RATE_MAX_HZ) {
      a->failed = 1;
      return gb_err(a->err, sizeof a->err, GB_ERANGE,
                    "sample rate %g Hz: expected above %g Hz (twice the fastest cadence, "
                    "cadence_max_spm %g) and at most %g Hz",
                    in->sample_rate_hz, fmin, params->cadence_max_spm, GB_ANALYZER_RATE_MAX_HZ);
    }
  }
  gb_preproc_init(&a->pre, in->sample_rate_hz, in->channels, params->gravity_cutoff_hz);
  double fa = in->sample_rate_hz / a->pre.dec_factor;
  if ((rc = gb_cadence_create(params, in->location, fa, &a->cad)))
    return fail(a, rc, rc == GB_EFFT ? "FFTW could not make the cadence plan" : "out of memory");
  a->bouts = gb_bouts_create(params);
  a->contacts = gb_contacts_create(params, in);
  a->posture = gb_posture_create(params, in);
  if (!a->bouts || !a->contacts || !a->posture)
    return fail(a, GB_ENOMEM, "out of memory creating the analyzer stages");
  return 0;
}

static int stage_err(gb_analyzer *a, int rc, const char *stage)
{
  a->failed = 1;
  gb_err(a->err, sizeof a->err, rc, "%s stage failed at sample %" PRIu64 " (%s)", stage,
         a->n_frames, gb_status_name(rc));
  return rc;
}

static int feed_slow(gb_analyzer *a, const gb_slow_row *rows, size_t n)
{
  int rc;
  if (n == 0) return 0;
  if ((rc = gb_bouts_push(a->bouts, rows, n))) return stage_err(a, rc, "bouts");
  if ((rc = gb_posture_push(a->posture, rows, n))) return stage_err(a, rc, "posture");
  return 0;
}

/* 1 when no sample is NaN or Inf: an exponent of all ones, tested on the bits
 * without branches so that the compiler vectorises the scan. */
static int all_finite(const float *x, size_t n)
{
  uint32_t bad = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t u;
    memcpy(&u, &x[i], sizeof u);
    bad |= (u & 0x7f800000u) == 0x7f800000u;
  }
  return !bad;
}

/* One chunk of n <= GB_CHUNK frames through every stage; chunk k covers frames
 * [k * GB_CHUNK, (k + 1) * GB_CHUNK) of the recording (the last may be shorter). */
static int run_chunk(gb_analyzer *a, const float *raw, size_t n)
{
  double c0 = mono_s();
  size_t n_dec = 0, n_slow = 0;
  gb_preproc_run(&a->pre, raw, n, a->vert, a->mag, a->dec, &n_dec, a->slow, &n_slow);
  double c1 = mono_s();
  size_t before = a->rows.n;
  int rc = gb_cadence_push(a->cad, a->dec, n_dec, &a->rows);
  if (rc) return stage_err(a, rc, "cadence");
  if (a->rows.n > before) a->hint_spm = a->rows.rows[a->rows.n - 1].cadence_spm;
  double c2 = mono_s(), c3 = c2;
  if (n_slow) { /* one slow row per GB_SLOW_BLOCK_S: most chunks have none */
    if ((rc = feed_slow(a, a->slow, n_slow))) return rc;
    c3 = mono_s();
  }
  double t0 = (double)a->n_frames / a->in.sample_rate_hz;
  if ((rc = gb_contacts_push(a->contacts, a->vert, a->mag, raw, n, t0, a->hint_spm)))
    return stage_err(a, rc, "contacts");
  double c4 = mono_s();
  a->times.preprocess_s += c1 - c0;
  a->times.cadence_s += c2 - c1;
  a->times.posture_s += c3 - c2;
  a->times.contacts_s += c4 - c3;
  a->n_frames += n;
  return 0;
}

int gb_analyzer_push(gb_analyzer *a, const float *frames, size_t n_frames)
{
  if (!a) return GB_EINVAL;
  if (a->failed) return GB_EINVAL;
  if (a->finished) return fail(a, GB_EINVAL, "push after finish");
  if (n_frames == 0) return 0;
  if (!frames) return fail(a, GB_EINVAL, "push: frames is NULL");
  const int ch = a->in.channels;
  /* validate the whole block first so that a bad block leaves no partial state;
   * a branch-free pass (vectorised) first, the exact position only on failure */
  const size_t n_val = n_frames * (size_t)ch;
  if (!all_finite(frames, n_val)) {
    size_t i = 0;
    while (i < n_val && isfinite(frames[i])) i++;
    a->failed = 1;
    return gb_err(a->err, sizeof a->err, GB_ERANGE,
                  "sample %" PRIu64 ", channel %d: %s; expected a finite acceleration in g",
                  a->n_pushed + i / (size_t)ch, (int)(i % (size_t)ch) + 1,
                  isnan(frames[i]) ? "NaN" : "Inf");
  }
  a->n_pushed += n_frames;
  size_t off = 0;
  int rc;
  if (a->n_pend > 0) { /* complete the pending chunk first */
    size_t take = GB_CHUNK - a->n_pend;
    if (take > n_frames) take = n_frames;
    memcpy(a->pend + a->n_pend * (size_t)ch, frames, take * (size_t)ch * sizeof *frames);
    a->n_pend += take;
    off = take;
    if (a->n_pend < GB_CHUNK) return 0;
    a->n_pend = 0;
    if ((rc = run_chunk(a, a->pend, GB_CHUNK))) return rc;
  }
  for (; n_frames - off >= GB_CHUNK; off += GB_CHUNK)
    if ((rc = run_chunk(a, frames + off * (size_t)ch, GB_CHUNK))) return rc;
  if (off < n_frames) { /* a partial chunk waits for the next push or finish */
    a->n_pend = n_frames - off;
    memcpy(a->pend, frames + off * (size_t)ch, a->n_pend * (size_t)ch * sizeof *frames);
  }
  return 0;
}

static void cadence_stats(const gb_cadence_table *t, float *mean, float *median, float *cv)
{
  size_t m = 0;
  double s = 0, ss = 0;
  for (size_t i = 0; i < t->n; i++)
    if (t->rows[i].cadence_spm > 0) {
      s += t->rows[i].cadence_spm;
      ss += (double)t->rows[i].cadence_spm * t->rows[i].cadence_spm;
      m++;
    }
  if (m == 0) {
    *mean = *median = *cv = NAN;
    return;
  }
  double mu = s / (double)m, var = ss / (double)m - mu * mu;
  *mean = (float)mu;
  *cv = (float)(mu > 0 ? sqrt(var > 0 ? var : 0) / mu : NAN);
  float *v = malloc(m * sizeof *v);
  if (!v) {
    *median = NAN;
    return;
  }
  size_t k = 0;
  for (size_t i = 0; i < t->n; i++)
    if (t->rows[i].cadence_spm > 0) v[k++] = t->rows[i].cadence_spm;
  *median = gb_median_f_inplace(v, m);
  free(v);
}

static void summary_prefill(gb_summary *s)
{
  /* every float NaN, so that a field nobody fills reads "not available" */
  s->cadence_mean_spm = s->cadence_median_spm = s->cadence_cv = NAN;
  s->pta_mean_g = s->pta_p95_g = s->loading_rate_mean_gps = s->rearfoot_share = NAN;
  s->landing_confidence = s->trunk_lean_deg = s->trunk_lean_drift_deg = NAN;
  s->vertical_oscillation_cm = s->contact_time_ms = s->asymmetry_pct = NAN;
  s->impact_cv = s->clipped_share = NAN;
  s->running_s = s->walking_s = s->still_s = NAN;
  s->cumulative_impact_g = NAN;
}

static int finish_tables(gb_analyzer *a, gb_result **out);

int gb_analyzer_finish(gb_analyzer *a, gb_result **out)
{
  *out = NULL;
  if (!a) return GB_EINVAL;
  if (a->failed) return GB_EINVAL;
  if (a->finished) return fail(a, GB_EINVAL, "finish called twice");
  a->finished = 1;
  if (a->n_pend > 0) { /* the recording's last, partial chunk */
    size_t n = a->n_pend;
    a->n_pend = 0;
    int rc = run_chunk(a, a->pend, n);
    if (rc) return rc;
  }
  double c_start = mono_s();
  int rc = finish_tables(a, out);
  a->times.finish_s += mono_s() - c_start;
  return rc;
}

static int finish_tables(gb_analyzer *a, gb_result **out)
{
  int rc;
  gb_slow_row last;
  if (gb_preproc_flush(&a->pre, &last) && (rc = feed_slow(a, &last, 1))) return rc;
  if ((rc = gb_cadence_finish(a->cad, &a->rows))) return stage_err(a, rc, "cadence");

  gb_result *r = calloc(1, sizeof *r);
  if (!r) return fail(a, GB_ENOMEM, "out of memory");
  double duration = (double)a->n_frames / a->in.sample_rate_hz;
  /* the table grew by doubling: return the unused capacity (up to half of it)
   * before the result is held through report writing */
  if (a->rows.n > 0 && a->rows.n < a->rows.cap) {
    gb_cadence_row *shrunk = realloc(a->rows.rows, a->rows.n * sizeof *shrunk);
    if (shrunk) a->rows.rows = shrunk;
  }
  r->cadence = a->rows.rows;
  r->n_cadence = a->rows.n;
  a->rows.rows = NULL;
  a->rows.n = a->rows.cap = 0;
  if ((rc = gb_contacts_finish(a->contacts, &r->steps, &r->n_steps))) goto stage_fail_contacts;
  if ((rc = gb_bouts_finish(a->bouts, r->cadence, r->n_cadence, duration, r->steps, r->n_steps,
                            &r->bouts, &r->n_bouts)))
    goto stage_fail_bouts;
  gb_lean_row *lean = NULL;
  size_t n_lean = 0;
  if ((rc = gb_posture_finish(a->posture, &lean, &n_lean))) goto stage_fail_posture;

  double window = a->p.window_s;
  if (r->n_cadence == 0)
    gb_errcat(r->notes, sizeof r->notes, "recording %.2f s is shorter than 2 s: no cadence", duration);
  else if (duration < window)
    gb_errcat(r->notes, sizeof r->notes,
              "recording %.2f s is shorter than the %.0f s cadence window: one window over all of it",
              duration, window);
  const char *cn = gb_contacts_note(a->contacts);
  if (cn && cn[0]) gb_errcat(r->notes, sizeof r->notes, "%s", cn);

  summary_prefill(&r->summary);
  r->summary.duration_s = duration;
  r->summary.sample_rate_hz = a->in.sample_rate_hz;
  r->summary.location = a->in.location;
  if ((rc = gb_events_compute(&a->p, &a->risk, &a->in, r, lean, n_lean))) {
    free(lean);
    goto stage_fail_events;
  }
  rc = gb_summary_compute(&a->p, &a->in, r, lean, n_lean);
  free(lean);
  if (rc) goto stage_fail_summary;
  /* fields the summary stage may leave open: cadence from the table, time per bout kind */
  gb_summary *s = &r->summary;
  if (isnan(s->cadence_mean_spm) || isnan(s->cadence_median_spm) || isnan(s->cadence_cv)) {
    gb_cadence_table t = {r->cadence, r->n_cadence, r->n_cadence};
    float mu, med, cv;
    cadence_stats(&t, &mu, &med, &cv);
    if (isnan(s->cadence_mean_spm)) s->cadence_mean_spm = mu;
    if (isnan(s->cadence_median_spm)) s->cadence_median_spm = med;
    if (isnan(s->cadence_cv)) s->cadence_cv = cv;
  }
  if (isnan(s->running_s) || isnan(s->walking_s) || isnan(s->still_s)) {
    double k[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < r->n_bouts; i++)
      if (r->bouts[i].kind >= 0 && r->bouts[i].kind < 4)
        k[r->bouts[i].kind] += r->bouts[i].t_end_s - r->bouts[i].t_start_s;
    if (isnan(s->running_s)) s->running_s = k[GB_BOUT_RUNNING];
    if (isnan(s->walking_s)) s->walking_s = k[GB_BOUT_WALKING];
    if (isnan(s->still_s)) s->still_s = k[GB_BOUT_STILL];
  }
  *out = r;
  return 0;

stage_fail_contacts:
  gb_result_free(r);
  return stage_err(a, rc, "contacts");
stage_fail_bouts:
  gb_result_free(r);
  return stage_err(a, rc, "bouts");
stage_fail_posture:
  gb_result_free(r);
  return stage_err(a, rc, "posture");
stage_fail_events:
  gb_result_free(r);
  return stage_err(a, rc, "events");
stage_fail_summary:
  gb_result_free(r);
  return stage_err(a, rc, "summary");
}

void gb_analyzer_stage_times(const gb_analyzer *a, gb_stage_times *out)
{
  if (!out) return;
  if (!a) {
    memset(out, 0, sizeof *out);
    return;
  }
  /* wall sums -> CPU time: the thread's CPU/wall ratio since create (<= 1) */
  double wall = mono_s() - a->wall0, cpu = cpu_s() - a->cpu0;
  double r = wall > 0 && cpu > 0 && cpu < wall ? cpu / wall : 1.0;
  out->preprocess_s = r * a->times.preprocess_s;
  out->cadence_s = r * a->times.cadence_s;
  out->contacts_s = r * a->times.contacts_s;
  out->posture_s = r * a->times.posture_s;
  out->finish_s = r * a->times.finish_s;
}

const char *gb_analyzer_errmsg(const gb_analyzer *a) { return a ? a->err : "no analyzer"; }

void gb_analyzer_free(gb_analyzer *a)
{
  if (!a) return;
  gb_cadence_free(a->cad);
  gb_bouts_free(a->bouts);
  gb_contacts_free(a->contacts);
  gb_posture_free(a->posture);
  free(a->rows.rows);
  free(a);
}

int gb_analyzer_set_risk(gb_analyzer *a, const gb_risk_params *risk)
{
  if (!a || !risk) return GB_EINVAL;
  a->risk = *risk;
  return GB_OK;
}
