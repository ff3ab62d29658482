/* One recording end to end: hash → source → analyzer → risk flags → report. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gaitbatch/batch.h"
#include "gaitbatch/risk.h"
#include "gaitbatch/status.h"
#include "gaitbatch/version.h"
#include "util/errbuf.h"
#include "util/filehash.h"

enum { BLOCK_FRAMES = 4096 };
/* Shortest recording worth a report: a couple of steps at walking pace. */
#define MIN_DURATION_S 1.0

void gb_run_request_init(gb_run_request *r)
{
  memset(r, 0, sizeof *r);
  gb_run_meta_init(&r->meta);
}

void gb_run_request_clear(gb_run_request *r)
{
  if (r) gb_run_meta_clear(&r->meta);
}

static void now_iso(char out[32])
{
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Streams the source through the analyzer. */
static int run_analyzer(const gb_config *cfg, const gb_run_request *req, gb_source *src,
                        gb_result **res, char *err, size_t errlen)
{
  const gb_source_info *info = gb_source_get_info(src);
  gb_analyzer_input in = {info->rate_hz, info->channels, req->meta.location,
                          req->meta.full_scale_g > 0 ? req->meta.full_scale_g : info->full_scale_g};
  gb_analyzer *an = NULL;
  int st = gb_analyzer_create(&cfg->analysis, &in, &an);
  if (st == GB_OK) st = gb_analyzer_set_risk(an, &cfg->risk);
  if (st != GB_OK) {
    gb_err(err, errlen, st, "%s: %s", req->meta.path, an ? gb_analyzer_errmsg(an) : gb_strerror(st));
    gb_analyzer_free(an);
    return st;
  }
  float *buf = malloc(sizeof(float) * BLOCK_FRAMES * (size_t)info->channels);
  if (!buf) {
    gb_analyzer_free(an);
    return gb_err(err, errlen, GB_ENOMEM, "%s: out of memory", req->meta.path);
  }
  double frames = 0;
  for (;;) {
    size_t got = 0;
    st = gb_source_read(src, buf, BLOCK_FRAMES, &got);
    if (st != GB_OK) {
      gb_err(err, errlen, st, "%s", gb_source_errmsg(src));
      break;
    }
    if (got == 0) break;
    frames += (double)got;
    st = gb_analyzer_push(an, buf, got);
    if (st != GB_OK) {
      gb_err(err, errlen, st, "%s: %s", req->meta.path, gb_analyzer_errmsg(an));
      break;
    }
  }
  free(buf);
  if (st == GB_OK && frames < MIN_DURATION_S * info->rate_hz)
    st = gb_err(err, errlen, GB_ETOOSHORT,
                "%s: recording is %.3f s long (%.0f frames at %g Hz); at least %g s is needed",
                req->meta.path, frames / info->rate_hz, frames, info->rate_hz, MIN_DURATION_S);
  if (st == GB_OK) {
    st = gb_analyzer_finish(an, res);
    if (st != GB_OK) gb_err(err, errlen, st, "%s: %s", req->meta.path, gb_analyzer_errmsg(an));
  }
  gb_analyzer_free(an);
  return st;
}

int gb_analyze_file(const gb_config *cfg, const gb_run_request *req, const char *report_path,
                    const char *created_iso, gb_result **res_out, gb_flag **flags_out,
                    size_t *n_flags_out, gb_provenance *prov_out, char *err, size_t errlen)
{
  if (res_out) *res_out = NULL;
  if (flags_out) *flags_out = NULL;
  if (n_flags_out) *n_flags_out = 0;
  if (!cfg || !req) return gb_err(err, errlen, GB_EINVAL, "gb_analyze_file: NULL argument");

  gb_provenance prov;
  memset(&prov, 0, sizeof prov);
  int st = gb_hash_file(req->meta.path, prov.input_hash, err, errlen);
  if (st != GB_OK) return st;
  gb_hash_hex(gb_config_hash(cfg), prov.config_hash);
  prov.analysis_version = GB_ANALYSIS_VERSION;
  snprintf(prov.generator, sizeof prov.generator, "gaitbatch %s", gb_version_string());
  if (created_iso)
    gb_strlcpy(prov.created_iso, created_iso, sizeof prov.created_iso);
  else
    now_iso(prov.created_iso);

  gb_source_opts so;
  gb_source_opts_init(&so);
  so.units = req->meta.units;
  so.units_set = req->units_set;
  so.full_scale_g = req->meta.full_scale_g;
  so.rate_hz = req->rate_hz;
  so.cols = req->cols[0] ? req->cols : NULL;
  so.time_col = req->time_col[0] ? req->time_col : NULL;

  gb_source *src = NULL;
  st = gb_source_open(req->meta.path, &so, &src);
  if (st != GB_OK) {
    gb_err(err, errlen, st, "%s", src ? gb_source_errmsg(src) : gb_strerror(st));
    gb_source_free(src);
    return st;
  }
  gb_result *res = NULL;
  st = run_analyzer(cfg, req, src, &res, err, errlen);
  const gb_source_info *info = gb_source_get_info(src);
  gb_run_meta meta = req->meta;
  meta.sample_rate_hz = info->rate_hz;
  meta.channels = info->channels;
  if (meta.full_scale_g <= 0) meta.full_scale_g = info->full_scale_g;
  if (!meta.start_iso[0] && info->start_iso[0])
    gb_strlcpy(meta.start_iso, info->start_iso, sizeof meta.start_iso);
  gb_strlcpy(prov.source_format, info->format ? info->format : "", sizeof prov.source_format);
  prov.jitter_ms = info->jitter_ms;
  gb_strlcpy(prov.warnings, gb_source_warnings(src), sizeof prov.warnings);
  gb_source_free(src);
  if (st != GB_OK) return st;

  gb_flag *flags = NULL;
  size_t n_flags = 0;
  st = gb_risk_run_flags(cfg, meta.location, res, &flags, &n_flags);
  if (st != GB_OK) {
    gb_result_free(res);
    return gb_err(err, errlen, st, "%s: computing flags failed: %s", req->meta.path,
                  gb_strerror(st));
  }
  if (report_path) {
    st = gb_report_write_run(report_path, &meta, &prov, res, flags, n_flags, err, errlen);
    if (st != GB_OK) {
      gb_result_free(res);
      free(flags);
      return st;
    }
  }
  if (prov_out) *prov_out = prov;
  if (res_out)
    *res_out = res;
  else
    gb_result_free(res);
  if (flags_out)
    *flags_out = flags;
  else
    free(flags);
  if (n_flags_out) *n_flags_out = n_flags;
  return GB_OK;
}
