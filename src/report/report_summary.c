/* Batch summary OUT/summary.h5 (DESIGN §8): write and read back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gaitbatch/report.h"
#include "gaitbatch/status.h"
#include "report/report_h5.h"
#include "report/report_internal.h"
#include "util/errbuf.h"

#define CK(expr, what)                                                   \
  do {                                                                   \
    if ((expr) < 0) {                                                    \
      rc = rp_h5err(err, errlen, GB_EHDF5, path, what);                  \
      goto fail;                                                         \
    }                                                                    \
  } while (0)

static void run_to_row(const gb_summary_run *r, rp_run_row *w)
{
  memset(w, 0, sizeof *w);
  rp_put_str(w->run_id, sizeof w->run_id, r->meta.run_id);
  rp_put_str(w->athlete, sizeof w->athlete, r->meta.athlete);
  rp_put_str(w->start, sizeof w->start, r->meta.start_iso);
  rp_location_text(r->meta.location, w->location, sizeof w->location);
  rp_put_str(w->path, sizeof w->path, r->meta.path);
  rp_put_str(w->report, sizeof w->report, r->report_relpath);
  if (r->status == GB_RUN_OK)
    rp_put_str(w->status, sizeof w->status, "ok");
  else if (r->status == GB_RUN_FAILED)
    rp_put_str(w->status, sizeof w->status, "failed");
  else
    snprintf(w->status, sizeof w->status, "%d", (int)r->status);
  w->reanalysed = r->reanalysed;
  rp_summary_to_row(&r->summary, &w->s);
  w->n_flags_info = r->n_flags_info;
  w->n_flags_warn = r->n_flags_warn;
  w->n_flags_high = r->n_flags_high;
  rp_put_str(w->input_hash, sizeof w->input_hash, r->prov.input_hash);
  rp_put_str(w->config_hash, sizeof w->config_hash, r->prov.config_hash);
  w->analysis_version = r->prov.analysis_version;
  w->channels = r->meta.channels;
  w->full_scale_g = r->meta.full_scale_g;
}

static void run_from_row(const rp_run_row *w, gb_summary_run *r)
{
  char buf[RP_W_LABEL + 1];
  memset(r, 0, sizeof *r);
  gb_run_meta_init(&r->meta);
  rp_get_str(r->meta.run_id, sizeof r->meta.run_id, w->run_id, sizeof w->run_id);
  rp_get_str(r->meta.athlete, sizeof r->meta.athlete, w->athlete, sizeof w->athlete);
  rp_get_str(r->meta.start_iso, sizeof r->meta.start_iso, w->start, sizeof w->start);
  rp_get_str(r->meta.path, sizeof r->meta.path, w->path, sizeof w->path);
  rp_get_str(buf, sizeof buf, w->location, sizeof w->location);
  r->meta.location = (gb_location)rp_location_parse(buf);
  rp_get_str(r->report_relpath, sizeof r->report_relpath, w->report, sizeof w->report);
  rp_get_str(buf, sizeof buf, w->status, sizeof w->status);
  if (strcmp(buf, "ok") == 0)
    r->status = GB_RUN_OK;
  else if (strcmp(buf, "failed") == 0)
    r->status = GB_RUN_FAILED;
  else
    r->status = (int32_t)strtol(buf, NULL, 10);
  r->reanalysed = w->reanalysed;
  rp_summary_from_row(&w->s, &r->summary);
  r->summary.location = r->meta.location;
  r->meta.sample_rate_hz = r->summary.sample_rate_hz;
  r->n_flags_info = w->n_flags_info;
  r->n_flags_warn = w->n_flags_warn;
  r->n_flags_high = w->n_flags_high;
  rp_get_str(r->prov.input_hash, sizeof r->prov.input_hash, w->input_hash, sizeof w->input_hash);
  rp_get_str(r->prov.config_hash, sizeof r->prov.config_hash, w->config_hash,
             sizeof w->config_hash);
  r->prov.analysis_version = w->analysis_version;
  r->meta.channels = w->channels;
  r->meta.full_scale_g = w->full_scale_g;
}

static void daily_to_row(const gb_daily_row *d, rp_daily_row *w)
{
  memset(w, 0, sizeof *w);
  w->day = d->day;
  rp_put_str(w->date, sizeof w->date, d->date);
  w->duration_s = d->duration_s;
  w->steps = d->steps;
  w->impact = d->impact;
  w->load = d->load;
  w->acute_rolling = d->acute_rolling;
  w->chronic_rolling = d->chronic_rolling;
  w->acwr_rolling = d->acwr_rolling;
  w->acute_ewma = d->acute_ewma;
  w->chronic_ewma = d->chronic_ewma;
  w->acwr_ewma = d->acwr_ewma;
  w->base_established = d->base_established;
}

static void daily_from_row(const rp_daily_row *w, gb_daily_row *d)
{
  memset(d, 0, sizeof *d);
  d->day = w->day;
  rp_get_str(d->date, sizeof d->date, w->date, sizeof w->date);
  d->duration_s = w->duration_s;
  d->steps = w->steps;
  d->impact = w->impact;
  d->load = w->load;
  d->acute_rolling = w->acute_rolling;
  d->chronic_rolling = w->chronic_rolling;
  d->acwr_rolling = w->acwr_rolling;
  d->acute_ewma = w->acute_ewma;
  d->chronic_ewma = w->chronic_ewma;
  d->acwr_ewma = w->acwr_ewma;
  d->base_established = w->base_established;
}

static void weekly_to_row(const gb_weekly_row *k, rp_weekly_row *w)
{
  memset(w, 0, sizeof *w);
  w->iso_year = k->iso_year;
  w->iso_week = k->iso_week;
  rp_put_str(w->week, sizeof w->week, k->week);
  w->n_sessions = k->n_sessions;
  w->duration_s = k->duration_s;
  w->steps = k->steps;
  w->impact = k->impact;
  w->load = k->load;
  w->change_pct = k->change_pct;
  w->change_2wk_pct = k->change_2wk_pct;
  w->base_established = k->base_established;
}

static void weekly_from_row(const rp_weekly_row *w, gb_weekly_row *k)
{
  memset(k, 0, sizeof *k);
  k->iso_year = w->iso_year;
  k->iso_week = w->iso_week;
  rp_get_str(k->week, sizeof k->week, w->week, sizeof w->week);
  k->n_sessions = w->n_sessions;
  k->duration_s = w->duration_s;
  k->steps = w->steps;
  k->impact = w->impact;
  k->load = w->load;
  k->change_pct = w->change_pct;
  k->change_2wk_pct = w->change_2wk_pct;
  k->base_established = w->base_established;
}

/* A link name not yet used under g: base, else base_2, base_3, ... */
static int unique_name(hid_t g, const char *base, char *out, size_t outlen)
{
  gb_strlcpy(out, base, outlen);
  for (int k = 2;; k++) {
    htri_t ex = H5Lexists(g, out, H5P_DEFAULT);
    if (ex < 0) return -1;
    if (ex == 0) return 0;
    snprintf(out, outlen, "%.*s_%d", (int)(outlen > 16 ? outlen - 16 : 1), base, k);
  }
}

static int write_summary_impl(rp_out *o, const char *path, const char *created,
                              const gb_summary_run *runs,
                              size_t n_runs, const gb_flag_row *flags, size_t n_flags,
                              const gb_athlete_load *athletes, size_t n_athletes,
                              const gb_error_row *errors, size_t n_errors, char *err,
                              size_t errlen)
{
  if ((n_runs && !runs) || (n_flags && !flags) || (n_athletes && !athletes) ||
      (n_errors && !errors))
    return gb_err(err, errlen, GB_EINVAL, "%s: a table has rows but no data pointer", path);
  int rc = rp_out_open(o, path, 0, err, errlen);
  if (rc) return rc;
  hid_t root = o->file, ga = H5I_INVALID_HID, gx = H5I_INVALID_HID, gr = H5I_INVALID_HID;
  void *buf = NULL;

  int32_t n_failed = 0;
  for (size_t i = 0; i < n_runs; i++) n_failed += runs[i].status != GB_RUN_OK;
  CK(rp_write_common_attrs(root, "gaitbatch.summary", NULL, created), "writing root attributes");
  CK(rp_attr_i32(root, "n_runs", (int32_t)n_runs), "writing attribute n_runs");
  CK(rp_attr_i32(root, "n_failed", n_failed), "writing attribute n_failed");

  size_t nmax = n_runs > n_flags ? n_runs : n_flags;
  if (n_errors > nmax) nmax = n_errors;
  size_t rsz = sizeof(rp_run_row);
  if (sizeof(rp_sflag_row) > rsz) rsz = sizeof(rp_sflag_row);
  if (sizeof(rp_error_row) > rsz) rsz = sizeof(rp_error_row);
  buf = calloc(nmax ? nmax : 1, rsz);
  if (!buf) {
    rc = gb_err(err, errlen, GB_ENOMEM, "%s: out of memory for %zu rows", path, nmax);
    goto fail;
  }
  rp_run_row *rr = buf;
  for (size_t i = 0; i < n_runs; i++) run_to_row(&runs[i], &rr[i]);
  CK(rp_table_write(root, &rp_tab_runs, rr, n_runs, NULL), "writing /runs");

  rp_sflag_row *fr = buf;
  for (size_t i = 0; i < n_flags; i++) {
    rp_flag_row one;
    rp_flag_to_row(&flags[i].flag, &one);
    memset(&fr[i], 0, sizeof fr[i]);
    rp_put_str(fr[i].run_id, sizeof fr[i].run_id, flags[i].run_id);
    rp_put_str(fr[i].athlete, sizeof fr[i].athlete, flags[i].athlete);
    memcpy(fr[i].code, one.code, sizeof fr[i].code);
    memcpy(fr[i].severity, one.severity, sizeof fr[i].severity);
    fr[i].t_start_s = one.t_start_s;
    fr[i].t_end_s = one.t_end_s;
    fr[i].value = one.value;
    fr[i].threshold = one.threshold;
    memcpy(fr[i].message, one.message, sizeof fr[i].message);
  }
  CK(rp_table_write(root, &rp_tab_sflags, fr, n_flags, NULL), "writing /flags");

  rp_error_row *er = buf;
  for (size_t i = 0; i < n_errors; i++) {
    rp_put_str(er[i].path, sizeof er[i].path, errors[i].path);
    rp_put_str(er[i].message, sizeof er[i].message, errors[i].message);
  }
  CK(rp_table_write(root, &rp_tab_errors, er, n_errors, NULL), "writing /errors");
  free(buf);
  buf = NULL;

  CK(ga = rp_group_create(root, "athletes"), "creating /athletes");
  for (size_t i = 0; i < n_athletes; i++) {
    char base[GB_ID_MAX], name[GB_ID_MAX];
    rp_sanitize_name(athletes[i].athlete, base, sizeof base);
    CK(unique_name(ga, base, name, sizeof name), "naming an athlete group");
    CK(gx = rp_group_create(ga, name), "creating an /athletes/<id> group");
    CK(rp_attr_str(gx, "athlete", athletes[i].athlete), "writing /athletes/<id> athlete");
    const gb_load_result *L = athletes[i].load;
    size_t nd = L ? L->n_daily : 0, nw = L ? L->n_weekly : 0;
    if ((nd && !L->daily) || (nw && !L->weekly)) {
      rc = gb_err(err, errlen, GB_EINVAL, "%s: athlete '%s': load table has rows but no data",
                  path, athletes[i].athlete);
      goto fail;
    }
    size_t nb = nd > nw ? nd : nw;
    buf = calloc(nb ? nb : 1, sizeof(rp_daily_row) > sizeof(rp_weekly_row)
                                  ? sizeof(rp_daily_row) : sizeof(rp_weekly_row));
    if (!buf) {
      rc = gb_err(err, errlen, GB_ENOMEM, "%s: out of memory", path);
      goto fail;
    }
    rp_daily_row *dr = buf;
    for (size_t k = 0; k < nd; k++) daily_to_row(&L->daily[k], &dr[k]);
    CK(rp_table_write(gx, &rp_tab_daily, dr, nd, NULL), "writing /athletes/<id>/daily");
    rp_weekly_row *wr = buf;
    for (size_t k = 0; k < nw; k++) weekly_to_row(&L->weekly[k], &wr[k]);
    CK(rp_table_write(gx, &rp_tab_weekly, wr, nw, NULL), "writing /athletes/<id>/weekly");
    free(buf);
    buf = NULL;
    H5Gclose(gx);
    gx = H5I_INVALID_HID;
  }
  H5Gclose(ga);
  ga = H5I_INVALID_HID;

  /* /run/<run_id>: external links to the per-run reports, relative to this file's
   * folder (HDF5 resolves a relative target against the linking file's folder). */
  CK(gr = rp_group_create(root, "run"), "creating /run");
  for (size_t i = 0; i < n_runs; i++) {
    if (runs[i].status != GB_RUN_OK || !runs[i].report_relpath[0]) continue;
    char base[GB_ID_MAX], name[GB_ID_MAX];
    rp_sanitize_name(runs[i].meta.run_id, base, sizeof base);
    CK(unique_name(gr, base, name, sizeof name), "naming a /run link");
    CK(H5Lcreate_external(runs[i].report_relpath, "/", gr, name, H5P_DEFAULT, H5P_DEFAULT),
       "creating a /run/<run_id> external link");
  }
  H5Gclose(gr);
  gr = H5I_INVALID_HID;
  return rp_out_seal(o, err, errlen);
fail:
  free(buf);
  if (gx >= 0) H5Gclose(gx);
  if (ga >= 0) H5Gclose(ga);
  if (gr >= 0) H5Gclose(gr);
  rp_out_abort(o);
  return rc;
}

int gb_report_write_summary_at(const char *path, const char *created_iso,
                               const gb_summary_run *runs, size_t n_runs,
                               const gb_flag_row *flags, size_t n_flags,
                               const gb_athlete_load *athletes, size_t n_athletes,
                               const gb_error_row *errors, size_t n_errors, char *err,
                               size_t errlen)
{
  if (!path) return gb_err(err, errlen, GB_EINVAL, "gb_report_write_summary: path is NULL");
  rp_out o;
  rp_lock();
  int rc = write_summary_impl(&o, path, created_iso, runs, n_runs, flags, n_flags, athletes,
                              n_athletes, errors, n_errors, err, errlen);
  rp_unlock();
  return rc ? rc : rp_out_finish(&o, err, errlen);
}

int gb_report_write_summary(const char *path, const gb_summary_run *runs, size_t n_runs,
                            const gb_flag_row *flags, size_t n_flags,
                            const gb_athlete_load *athletes, size_t n_athletes,
                            const gb_error_row *errors, size_t n_errors, char *err,
                            size_t errlen)
{
  /* The creation time is metadata only: no number in the file depends on it. */
  char created[32];
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return gb_report_write_summary_at(path, created, runs, n_runs, flags, n_flags, athletes,
                                    n_athletes, errors, n_errors, err, errlen);
}

/* ---- reading ------------------------------------------------------------------- */

/* Opens a summary and reads one table into raw rows. */
static int read_summary_table(const char *path, const char *name, const rp_table *t,
                              void **rows, size_t *n, char *err, size_t errlen)
{
  hid_t f;
  int rc = rp_open_report(path, "gaitbatch.summary", &f, NULL, 0, err, errlen);
  if (rc) return rc;
  int r = rp_table_read(f, name, t, rows, n);
  if (r == GB_ENOMEM)
    rc = gb_err(err, errlen, GB_ENOMEM, "%s: out of memory reading /%s", path, name);
  else if (r == 1)
    rc = gb_err(err, errlen, GB_EFORMAT, "%s: no /%s table", path, name);
  else if (r == GB_EFORMAT)
    rc = gb_err(err, errlen, GB_EFORMAT,
                "%s: /%s declares more rows than it stores (damaged file)", path, name);
  else if (r < 0) {
    char what[64];
    snprintf(what, sizeof what, "reading /%s", name);
    rc = rp_h5err(err, errlen, GB_EHDF5, path, what);
  }
  H5Fclose(f);
  return rc;
}

int gb_report_read_summary_runs(const char *path, gb_summary_run **rows, size_t *n, char *err,
                                size_t errlen)
{
  *rows = NULL;
  *n = 0;
  void *raw = NULL;
  size_t nr = 0;
  rp_lock();
  int rc = read_summary_table(path, "runs", &rp_tab_runs, &raw, &nr, err, errlen);
  rp_unlock();
  if (rc) return rc;
  if (nr) {
    gb_summary_run *out = calloc(nr, sizeof *out);
    if (!out) {
      free(raw);
      return gb_err(err, errlen, GB_ENOMEM, "%s: out of memory", path);
    }
    const rp_run_row *rr = raw;
    for (size_t i = 0; i < nr; i++) run_from_row(&rr[i], &out[i]);
    *rows = out;
    *n = nr;
  }
  free(raw);
  return GB_OK;
}

int gb_report_read_summary_flags(const char *path, gb_flag_row **rows, size_t *n, char *err,
                                 size_t errlen)
{
  *rows = NULL;
  *n = 0;
  void *raw = NULL;
  size_t nr = 0;
  rp_lock();
  int rc = read_summary_table(path, "flags", &rp_tab_sflags, &raw, &nr, err, errlen);
  rp_unlock();
  if (rc) return rc;
  if (nr) {
    gb_flag_row *out = calloc(nr, sizeof *out);
    if (!out) {
      free(raw);
      return gb_err(err, errlen, GB_ENOMEM, "%s: out of memory", path);
    }
    const rp_sflag_row *fr = raw;
    for (size_t i = 0; i < nr; i++) {
      rp_flag_row one;
      memcpy(one.code, fr[i].code, sizeof one.code);
      memcpy(one.severity, fr[i].severity, sizeof one.severity);
      one.t_start_s = fr[i].t_start_s;
      one.t_end_s = fr[i].t_end_s;
      one.value = fr[i].value;
      one.threshold = fr[i].threshold;
      memcpy(one.message, fr[i].message, sizeof one.message);
      rp_get_str(out[i].run_id, sizeof out[i].run_id, fr[i].run_id, sizeof fr[i].run_id);
      rp_get_str(out[i].athlete, sizeof out[i].athlete, fr[i].athlete, sizeof fr[i].athlete);
      rp_flag_from_row(&one, &out[i].flag);
    }
    *rows = out;
    *n = nr;
  }
  free(raw);
  return GB_OK;
}

int gb_report_read_summary_errors(const char *path, gb_error_row **rows, size_t *n, char *err,
                                  size_t errlen)
{
  *rows = NULL;
  *n = 0;
  void *raw = NULL;
  size_t nr = 0;
  rp_lock();
  int rc = read_summary_table(path, "errors", &rp_tab_errors, &raw, &nr, err, errlen);
  rp_unlock();
  if (rc) return rc;
  if (nr) {
    gb_error_row *out = calloc(nr, sizeof *out);
    if (!out) {
      free(raw);
      return gb_err(err, errlen, GB_ENOMEM, "%s: out of memory", path);
    }
    const rp_error_row *er = raw;
    for (size_t i = 0; i < nr; i++) {
      rp_get_str(out[i].path, sizeof out[i].path, er[i].path, sizeof er[i].path);
      rp_get_str(out[i].message, sizeof out[i].message, er[i].message, sizeof er[i].message);
    }
    *rows = out;
    *n = nr;
  }
  free(raw);
  return GB_OK;
}

int rp_summary_athletes(hid_t f, rp_athlete_cb cb, void *ctx)
{
  htri_t ex = H5Lexists(f, "athletes", H5P_DEFAULT);
  if (ex <= 0) return ex < 0 ? -1 : 0;
  hid_t ga = H5Gopen2(f, "athletes", H5P_DEFAULT);
  if (ga < 0) return -1;
  H5G_info_t info;
  int rc = H5Gget_info(ga, &info) < 0 ? -1 : 0;
  for (hsize_t i = 0; rc == 0 && i < info.nlinks; i++) {
    char name[GB_ID_MAX * 2], athlete[GB_ID_MAX];
    if (H5Lget_name_by_idx(ga, ".", H5_INDEX_NAME, H5_ITER_INC, i, name, sizeof name,
                           H5P_DEFAULT) < 0) {
      rc = -1;
      break;
    }
    hid_t gx = H5Gopen2(ga, name, H5P_DEFAULT);
    if (gx < 0) {
      rc = -1;
      break;
    }
    if (rp_attr_read_str(gx, "athlete", athlete, sizeof athlete) != 0)
      gb_strlcpy(athlete, name, sizeof athlete);
    rc = cb(gx, athlete, ctx);
    H5Gclose(gx);
  }
  H5Gclose(ga);
  return rc;
}

int rp_read_load(hid_t gx, gb_daily_row **daily, size_t *nd, gb_weekly_row **weekly, size_t *nw)
{
  void *raw = NULL;
  size_t n = 0;
  *daily = NULL;
  *weekly = NULL;
  *nd = *nw = 0;
  int r = rp_table_read(gx, "daily", &rp_tab_daily, &raw, &n);
  if (r < 0) return r;
  if (n) {
    *daily = calloc(n, sizeof **daily);
    if (!*daily) {
      free(raw);
      return GB_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) daily_from_row(&((rp_daily_row *)raw)[i], &(*daily)[i]);
    *nd = n;
  }
  free(raw);
  raw = NULL;
  r = rp_table_read(gx, "weekly", &rp_tab_weekly, &raw, &n);
  if (r < 0) {
    free(*daily);
    *daily = NULL;
    *nd = 0;
    return r;
  }
  if (n) {
    *weekly = calloc(n, sizeof **weekly);
    if (!*weekly) {
      free(raw);
      free(*daily);
      *daily = NULL;
      *nd = 0;
      return GB_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) weekly_from_row(&((rp_weekly_row *)raw)[i], &(*weekly)[i]);
    *nw = n;
  }
  free(raw);
  return 0;
}

typedef struct load_find {
  const char *athlete;
  gb_daily_row **daily;
  size_t *nd;
  gb_weekly_row **weekly;
  size_t *nw;
  int found;
} load_find;

static int load_find_cb(hid_t gx, const char *athlete, void *ctx)
{
  load_find *lf = ctx;
  if (lf->found || strcmp(athlete, lf->athlete) != 0) return 0;
  lf->found = 1;
  return rp_read_load(gx, lf->daily, lf->nd, lf->weekly, lf->nw);
}

int gb_report_read_summary_load(const char *path, const char *athlete, gb_daily_row **daily,
                                size_t *n_daily, gb_weekly_row **weekly, size_t *n_weekly,
                                char *err, size_t errlen)
{
  *daily = NULL;
  *weekly = NULL;
  *n_daily = *n_weekly = 0;
  if (!path || !athlete)
    return gb_err(err, errlen, GB_EINVAL, "gb_report_read_summary_load: path and athlete required");
  rp_lock();
  hid_t f;
  int rc = rp_open_report(path, "gaitbatch.summary", &f, NULL, 0, err, errlen);
  if (rc == 0) {
    load_find lf = {athlete, daily, n_daily, weekly, n_weekly, 0};
    int r = rp_summary_athletes(f, load_find_cb, &lf);
    if (r == GB_ENOMEM)
      rc = gb_err(err, errlen, GB_ENOMEM, "%s: out of memory", path);
    else if (r < 0)
      rc = rp_h5err(err, errlen, GB_EHDF5, path, "reading /athletes");
    else if (!lf.found)
      rc = gb_err(err, errlen, GB_ENOENT, "%s: no athlete '%s' under /athletes", path, athlete);
    H5Fclose(f);
  }
  rp_unlock();
  return rc;
}
