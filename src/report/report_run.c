/* Per-run report OUT/runs/<run_id>.h5 (DESIGN §8): write and read back. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaitbatch/report.h"
#include "gaitbatch/status.h"
#include "gaitbatch/version.h"
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

/* 1 when gb_step (analyzer.h) and rp_step_row (report_schema.h) have the same size
 * and every field the same type at the same offset: a compile-time constant. */
#define STEP_FIELD_SAME(f, T)                                                        \
  (offsetof(gb_step, f) == offsetof(rp_step_row, f) &&                               \
   _Generic(((gb_step *)0)->f, T: 1, default: 0) &&                                  \
   _Generic(((rp_step_row *)0)->f, T: 1, default: 0))
#define STEP_LAYOUT_SAME                                                             \
  (sizeof(gb_step) == sizeof(rp_step_row) && STEP_FIELD_SAME(t_s, double) &&         \
   STEP_FIELD_SAME(peak_g, float) && STEP_FIELD_SAME(loading_rate_gps, float) &&     \
   STEP_FIELD_SAME(time_to_peak_ms, float) && STEP_FIELD_SAME(impact_ratio, float) && \
   STEP_FIELD_SAME(contact_time_ms, float) && STEP_FIELD_SAME(vertical_osc_cm, float) && \
   STEP_FIELD_SAME(landing, int8_t) && STEP_FIELD_SAME(clipped, int8_t) &&          \
   STEP_FIELD_SAME(side, int8_t) && STEP_FIELD_SAME(bout_kind, int8_t))

/* Splits meta->extra ("key=value\n" lines) into meta_<key> attributes. Keys are
 * sanitized for the attribute name ([A-Za-z0-9_-], others '_', made unique); the
 * original keys, in manifest order, are in `meta_keys` and the attribute names in
 * `meta_attrs`, so the text reads back verbatim. Lines without '=' are keys with an
 * empty value; a repeated key keeps its first value. */
static int write_extra(hid_t root, const char *extra)
{
  if (!extra || !*extra) return 0;
  char *copy = strdup(extra);
  size_t cap = 1;
  for (const char *p = extra; *p; p++) cap += *p == '\n';
  const char **keys = malloc(cap * sizeof *keys);
  char (*anames)[GB_ID_MAX + 8] = malloc(cap * sizeof *anames);
  const char **aptr = malloc(cap * sizeof *aptr);
  size_t n = 0;
  int rc = copy && keys && anames && aptr ? 0 : GB_ENOMEM;
  for (char *line = copy; rc == 0 && line && *line;) {
    char *nl = strchr(line, '\n');
    if (nl) *nl = '\0';
    char *eq = strchr(line, '=');
    const char *val = "";
    if (eq) {
      *eq = '\0';
      val = eq + 1;
    }
    int dup = !*line;
    for (size_t k = 0; k < n && !dup; k++) dup = strcmp(keys[k], line) == 0;
    if (!dup) {
      char san[GB_ID_MAX];
      rp_sanitize_name(line, san, sizeof san);
      snprintf(anames[n], sizeof anames[n], "meta_%s", san);
      for (int k = 2; rc == 0; k++) {
        htri_t ex = H5Aexists(root, anames[n]);
        if (ex < 0) rc = -1;
        if (ex <= 0) break;
        snprintf(anames[n], sizeof anames[n], "meta_%.100s_%d", san, k);
      }
      if (rc == 0 && rp_attr_str(root, anames[n], val) < 0) rc = -1;
      if (rc == 0) {
        keys[n] = line;
        aptr[n] = anames[n];
        n++;
      }
    }
    line = nl ? nl + 1 : NULL;
  }
  if (rc == 0 && n &&
      (rp_attr_strs(root, "meta_keys", keys, n) < 0 || rp_attr_strs(root, "meta_attrs", aptr, n) < 0))
    rc = -1;
  free(keys);
  free(anames);
  free(aptr);
  free(copy);
  return rc;
}

/* Under the lock: the HDF5 file, with /cadence and /steps already packed. */
static int write_run_impl(rp_out *out, const char *path, const gb_run_meta *meta,
                          const gb_provenance *prov, const gb_result *res, const gb_flag *flags,
                          size_t n_flags, rp_packed *cadence, rp_packed *steps,
                          char *err, size_t errlen)
{
  rp_out *o = out;
  /* the file's size, nearly: the compressed tables, the small ones, ~40 KiB of
   * metadata (reserved at once instead of grown 64 KiB at a time) */
  size_t hint = cadence->total + steps->total + ((size_t)64 << 10);
  if (!cadence->n_chunks) hint += cadence->n * sizeof(gb_cadence_row);
  if (!steps->n_chunks) hint += steps->n * sizeof(rp_step_row);
  hint += res->n_bouts * sizeof(rp_bout_row) + res->n_events * sizeof(rp_event_row) +
          n_flags * sizeof(rp_flag_row);
  int rc = rp_out_open(o, path, hint, err, errlen);
  if (rc) return rc;
  hid_t root = o->file, ds = H5I_INVALID_HID;
  void *buf = NULL;

  CK(rp_write_common_attrs(root, "gaitbatch.run", prov->generator, prov->created_iso), "writing root attributes");
  CK(rp_attr_str(root, "input_path", meta->path), "writing attribute input_path");
  CK(rp_attr_str(root, "input_hash", prov->input_hash), "writing attribute input_hash");
  CK(rp_attr_str(root, "config_hash", prov->config_hash), "writing attribute config_hash");
  CK(rp_attr_i32(root, "analysis_version", prov->analysis_version),
     "writing attribute analysis_version");
  CK(rp_attr_str(root, "run_id", meta->run_id), "writing attribute run_id");
  CK(rp_attr_str(root, "athlete", meta->athlete), "writing attribute athlete");
  CK(rp_attr_str(root, "start", meta->start_iso), "writing attribute start");
  char lbuf[RP_W_LABEL + 1];
  rp_location_text(meta->location, lbuf, sizeof lbuf);
  CK(rp_attr_str(root, "location", lbuf), "writing attribute location");
  CK(rp_attr_f64(root, "sample_rate_hz", meta->sample_rate_hz), "writing attribute sample_rate_hz");
  CK(rp_attr_f64(root, "duration_s", res->summary.duration_s), "writing attribute duration_s");
  CK(rp_attr_i32(root, "channels", meta->channels), "writing attribute channels");
  CK(rp_attr_str(root, "units", gb_units_name(meta->units)), "writing attribute units");
  CK(rp_attr_f64(root, "full_scale_g", meta->full_scale_g), "writing attribute full_scale_g");
  CK(rp_attr_str(root, "source_format", prov->source_format), "writing attribute source_format");
  CK(rp_attr_f64(root, "jitter_ms", prov->jitter_ms), "writing attribute jitter_ms");
  CK(rp_attr_str(root, "warnings", prov->warnings), "writing attribute warnings");
  CK(rp_attr_str(root, "notes", res->notes), "writing attribute notes");
  int xr = write_extra(root, meta->extra);
  if (xr == GB_ENOMEM) {
    rc = gb_err(err, errlen, GB_ENOMEM, "%s: out of memory", path);
    goto fail;
  }
  CK(xr, "writing manifest columns as meta_* attributes");

  rp_summary_row srow;
  rp_summary_to_row(&res->summary, &srow);
  CK(rp_table_write(root, &rp_tab_summary, &srow, 1, NULL), "writing /summary");
  CK(rp_table_write_packed(root, cadence, NULL), "writing /cadence");
  CK(rp_table_write_packed(root, steps, &ds), "writing /steps");
  rp_labels_init();
  CK(rp_attr_strs(ds, "landing_labels", rp_landing_labels, 3), "writing /steps landing_labels");
  CK(rp_attr_strs(ds, "bout_kind_labels", rp_bout_kind_labels, 4),
     "writing /steps bout_kind_labels");
  CK(rp_attr_str(ds, "side_labels", "-1 unknown; 0 and 1 alternate steps (left/right not known)"),
     "writing /steps side_labels");
  H5Dclose(ds);
  ds = H5I_INVALID_HID;

  rp_bout_row *bo = buf = calloc(res->n_bouts ? res->n_bouts : 1, sizeof *bo);
  if (!buf) {
    rc = gb_err(err, errlen, GB_ENOMEM, "%s: out of memory for %zu bouts", path, res->n_bouts);
    goto fail;
  }
  for (size_t i = 0; i < res->n_bouts; i++) {
    const gb_bout *b = &res->bouts[i];
    bo[i].t_start_s = b->t_start_s;
    bo[i].t_end_s = b->t_end_s;
    rp_bout_kind_text(b->kind, bo[i].kind, sizeof bo[i].kind);
    bo[i].n_steps = b->n_steps;
    bo[i].cadence_spm = b->cadence_spm;
  }
  CK(rp_table_write(root, &rp_tab_bouts, bo, res->n_bouts, NULL), "writing /bouts");
  free(buf);

  rp_event_row *ev = buf = calloc(res->n_events ? res->n_events : 1, sizeof *ev);
  if (!buf) {
    rc = gb_err(err, errlen, GB_ENOMEM, "%s: out of memory for %zu events", path, res->n_events);
    goto fail;
  }
  for (size_t i = 0; i < res->n_events; i++) {
    const gb_event *e = &res->events[i];
    ev[i].t_start_s = e->t_start_s;
    ev[i].t_end_s = e->t_end_s;
    rp_event_kind_text(e->kind, ev[i].kind, sizeof ev[i].kind);
    ev[i].value = e->value;
    ev[i].reference = e->reference;
  }
  CK(rp_table_write(root, &rp_tab_events, ev, res->n_events, NULL), "writing /events");
  free(buf);

  rp_flag_row *fl = buf = calloc(n_flags ? n_flags : 1, sizeof *fl);
  if (!buf) {
    rc = gb_err(err, errlen, GB_ENOMEM, "%s: out of memory for %zu flags", path, n_flags);
    goto fail;
  }
  for (size_t i = 0; i < n_flags; i++) rp_flag_to_row(&flags[i], &fl[i]);
  CK(rp_table_write(root, &rp_tab_flags, fl, n_flags, NULL), "writing /flags");

  free(buf);
  return rp_out_seal(o, err, errlen);
fail:
  free(buf);
  if (ds >= 0) H5Dclose(ds);
  rp_out_abort(o);
  return rc;
}

int gb_report_write_run(const char *path, const gb_run_meta *meta, const gb_provenance *prov,
                        const gb_result *res, const gb_flag *flags, size_t n_flags, char *err,
                        size_t errlen)
{
  if (!path || !meta || !prov || !res)
    return gb_err(err, errlen, GB_EINVAL, "gb_report_write_run: path, meta, prov and res are required");
  if ((res->n_cadence && !res->cadence) || (res->n_steps && !res->steps) ||
      (res->n_bouts && !res->bouts) || (res->n_events && !res->events) || (n_flags && !flags))
    return gb_err(err, errlen, GB_EINVAL, "%s: a table has rows but no data pointer", path);

  /* /steps: gb_step and rp_step_row hold the same fields in the same order, so the
   * result's table is written as it is (no copy of a 24 h file's ~10 MB of steps);
   * only a compiler that lays them out differently takes the converting copy. */
  const void *step_rows = res->steps;
  rp_step_row *st = NULL;
  if (!STEP_LAYOUT_SAME && res->n_steps) {
    if (!(st = calloc(res->n_steps, sizeof *st)))
      return gb_err(err, errlen, GB_ENOMEM, "%s: out of memory for %zu steps", path, res->n_steps);
    for (size_t i = 0; i < res->n_steps; i++) {
      const gb_step *s = &res->steps[i];
      st[i] = (rp_step_row){s->t_s, s->peak_g, s->loading_rate_gps, s->time_to_peak_ms,
                            s->impact_ratio, s->contact_time_ms, s->vertical_osc_cm,
                            s->landing, s->clipped, s->side, s->bout_kind};
    }
    step_rows = st;
  }
  /* The two long tables are compressed before the lock (see rp_table_pack). */
  rp_packed pc, ps;
  rp_mem scratch = {NULL, 0, 0};
  int rc = rp_table_pack_with(&rp_tab_cadence, res->cadence, res->n_cadence, &pc, &scratch);
  if (rc == 0 &&
      (rc = rp_table_pack_with(&rp_tab_steps, step_rows, res->n_steps, &ps, &scratch)) != 0)
    rp_packed_free(&pc);
  rp_mem_free(&scratch);
  if (rc) {
    free(st);
    return gb_err(err, errlen, rc, "%s: out of memory while compressing the tables", path);
  }
  rp_out o;
  rp_lock();
  rc = write_run_impl(&o, path, meta, prov, res, flags, n_flags, &pc, &ps, err, errlen);
  rp_unlock();
  rp_packed_free(&pc);
  rp_packed_free(&ps);
  free(st);
  return rc ? rc : rp_out_finish(&o, err, errlen);
}

/* ---- reading ------------------------------------------------------------------- */

static void result_free(gb_result *r)
{
  if (!r) return;
  free(r->cadence);
  free(r->steps);
  free(r->bouts);
  free(r->events);
  free(r);
}

#define RD(expr, what)                                                   \
  do {                                                                   \
    int rd_ = (expr);                                                    \
    if (rd_ == GB_ENOMEM) {                                              \
      rc = gb_err(err, errlen, GB_ENOMEM, "%s: out of memory", path);    \
      goto fail;                                                         \
    }                                                                    \
    if (rd_ == GB_EFORMAT) {                                             \
      rc = gb_err(err, errlen, GB_EFORMAT,                               \
                  "%s: %s: more rows declared than stored (damaged file)", \
                  path, what);                                           \
      goto fail;                                                         \
    }                                                                    \
    if (rd_ < 0) {                                                       \
      rc = rp_h5err(err, errlen, GB_EHDF5, path, what);                  \
      goto fail;                                                         \
    }                                                                    \
  } while (0)

static int read_extra(hid_t root, char **out)
{
  *out = NULL;
  htri_t ex = H5Aexists(root, "meta_keys");
  if (ex <= 0) return ex < 0 ? -1 : 0;
  char **keys = NULL, **names = NULL;
  size_t n = 0, nn = 0;
  int rc = rp_attr_read_strs(root, "meta_keys", &keys, &n);
  if (rc == 0) rc = rp_attr_read_strs(root, "meta_attrs", &names, &nn);
  if (rc == 0 && nn != n) rc = -1;
  size_t cap = 256, len = 0;
  char *s = rc == 0 ? malloc(cap) : NULL;
  if (rc == 0 && !s) rc = GB_ENOMEM;
  if (s) s[0] = '\0';
  for (size_t i = 0; rc == 0 && i < n; i++) {
    char val[4096];
    if (rp_attr_read_str(root, names[i], val, sizeof val) != 0) {
      rc = -1;
      break;
    }
    size_t need = strlen(keys[i]) + strlen(val) + 3;
    if (len + need > cap) {
      while (len + need > cap) cap *= 2;
      char *s2 = realloc(s, cap);
      if (!s2) {
        rc = GB_ENOMEM;
        break;
      }
      s = s2;
    }
    len += (size_t)snprintf(s + len, cap - len, "%s=%s\n", keys[i], val);
  }
  rp_strs_free(keys, n);
  rp_strs_free(names, nn);
  if (rc) {
    free(s);
    return rc;
  }
  *out = s;
  return 0;
}

/* tables = 0 reads the one-row /summary but not the per-window and per-step tables
 * (what a batch needs to reuse an unchanged run). */
static int read_run_impl(const char *path, gb_run_meta *meta, gb_provenance *prov,
                         gb_result **res_out, gb_flag **flags_out, size_t *n_flags_out,
                         int tables, char *err, size_t errlen)
{
  hid_t f;
  int rc = rp_open_report(path, "gaitbatch.run", &f, NULL, 0, err, errlen);
  if (rc) return rc;
  gb_result *res = NULL;
  gb_flag *flags = NULL;
  void *rows = NULL;
  size_t n = 0;
  char buf[GB_PATH_MAX];

  if (meta) {
    gb_run_meta_init(meta);
    RD(rp_attr_read_str(f, "run_id", meta->run_id, sizeof meta->run_id), "reading run_id");
    RD(rp_attr_read_str(f, "athlete", meta->athlete, sizeof meta->athlete), "reading athlete");
    RD(rp_attr_read_str(f, "start", meta->start_iso, sizeof meta->start_iso), "reading start");
    RD(rp_attr_read_str(f, "input_path", meta->path, sizeof meta->path), "reading input_path");
    RD(rp_attr_read_str(f, "location", buf, sizeof buf), "reading location");
    meta->location = (gb_location)rp_location_parse(buf);
    RD(rp_attr_read_str(f, "units", buf, sizeof buf), "reading units");
    gb_units u = GB_UNITS_G;
    if (gb_units_parse(buf, &u) == 0) meta->units = u;
    RD(rp_attr_read_f64(f, "full_scale_g", &meta->full_scale_g), "reading full_scale_g");
    RD(rp_attr_read_f64(f, "sample_rate_hz", &meta->sample_rate_hz), "reading sample_rate_hz");
    int32_t ch = 0;
    RD(rp_attr_read_i32(f, "channels", &ch), "reading channels");
    meta->channels = ch;
    RD(read_extra(f, &meta->extra), "reading meta_* attributes");
  }
  if (prov) {
    memset(prov, 0, sizeof *prov);
    RD(rp_attr_read_str(f, "input_hash", prov->input_hash, sizeof prov->input_hash),
       "reading input_hash");
    RD(rp_attr_read_str(f, "config_hash", prov->config_hash, sizeof prov->config_hash),
       "reading config_hash");
    RD(rp_attr_read_i32(f, "analysis_version", &prov->analysis_version),
       "reading analysis_version");
    RD(rp_attr_read_str(f, "generator", prov->generator, sizeof prov->generator),
       "reading generator");
    RD(rp_attr_read_str(f, "created", prov->created_iso, sizeof prov->created_iso),
       "reading created");
    RD(rp_attr_read_str(f, "source_format", prov->source_format, sizeof prov->source_format),
       "reading source_format");
    RD(rp_attr_read_f64(f, "jitter_ms", &prov->jitter_ms), "reading jitter_ms");
    RD(rp_attr_read_str(f, "warnings", prov->warnings, sizeof prov->warnings),
       "reading warnings");
  }
  if (res_out) {
    res = calloc(1, sizeof *res);
    if (!res) RD(GB_ENOMEM, "");
    RD(rp_attr_read_str(f, "notes", res->notes, sizeof res->notes), "reading notes");
    RD(rp_table_read(f, "summary", &rp_tab_summary, &rows, &n), "reading /summary");
    if (n != 1) {
      rc = gb_err(err, errlen, GB_EFORMAT, "%s: /summary has %zu rows, expected 1", path, n);
      goto fail;
    }
    rp_summary_from_row(rows, &res->summary);
    free(rows);
    rows = NULL;
  }
  if (res_out && tables) {
    RD(rp_table_read(f, "cadence", &rp_tab_cadence, &rows, &n), "reading /cadence");
    res->cadence = rows;
    res->n_cadence = n;
    rows = NULL;

    RD(rp_table_read(f, "steps", &rp_tab_steps, &rows, &n), "reading /steps");
    if (n) {
      res->steps = calloc(n, sizeof *res->steps);
      if (!res->steps) RD(GB_ENOMEM, "");
      const rp_step_row *st = rows;
      for (size_t i = 0; i < n; i++)
        res->steps[i] = (gb_step){st[i].t_s, st[i].peak_g, st[i].loading_rate_gps,
                                  st[i].time_to_peak_ms, st[i].impact_ratio,
                                  st[i].contact_time_ms, st[i].vertical_osc_cm, st[i].landing,
                                  st[i].clipped, st[i].side, st[i].bout_kind};
      res->n_steps = n;
    }
    free(rows);
    rows = NULL;

    RD(rp_table_read(f, "bouts", &rp_tab_bouts, &rows, &n), "reading /bouts");
    if (n) {
      res->bouts = calloc(n, sizeof *res->bouts);
      if (!res->bouts) RD(GB_ENOMEM, "");
      const rp_bout_row *bo = rows;
      for (size_t i = 0; i < n; i++) {
        char k[RP_W_LABEL + 1];
        rp_get_str(k, sizeof k, bo[i].kind, sizeof bo[i].kind);
        res->bouts[i] = (gb_bout){bo[i].t_start_s, bo[i].t_end_s, rp_bout_kind_parse(k),
                                  bo[i].n_steps, bo[i].cadence_spm};
      }
      res->n_bouts = n;
    }
    free(rows);
    rows = NULL;

    RD(rp_table_read(f, "events", &rp_tab_events, &rows, &n), "reading /events");
    if (n) {
      res->events = calloc(n, sizeof *res->events);
      if (!res->events) RD(GB_ENOMEM, "");
      const rp_event_row *ev = rows;
      for (size_t i = 0; i < n; i++) {
        char k[RP_W_EVENT + 1];
        rp_get_str(k, sizeof k, ev[i].kind, sizeof ev[i].kind);
        res->events[i] = (gb_event){ev[i].t_start_s, ev[i].t_end_s, rp_event_kind_parse(k),
                                    ev[i].value, ev[i].reference};
      }
      res->n_events = n;
    }
    free(rows);
    rows = NULL;
  }
  if (flags_out) {
    RD(rp_table_read(f, "flags", &rp_tab_flags, &rows, &n), "reading /flags");
    if (n) {
      flags = calloc(n, sizeof *flags);
      if (!flags) RD(GB_ENOMEM, "");
      const rp_flag_row *fr = rows;
      for (size_t i = 0; i < n; i++) rp_flag_from_row(&fr[i], &flags[i]);
    }
    free(rows);
    rows = NULL;
    *flags_out = flags;
    if (n_flags_out) *n_flags_out = n;
  }
  if (res_out) *res_out = res;
  H5Fclose(f);
  return GB_OK;
fail:
  free(rows);
  free(flags);
  result_free(res);
  if (meta) gb_run_meta_clear(meta);
  H5Fclose(f);
  H5Eclear2(H5E_DEFAULT);
  return rc;
}

int gb_report_read_run(const char *path, gb_run_meta *meta, gb_provenance *prov,
                       gb_result **res, gb_flag **flags, size_t *n_flags, char *err,
                       size_t errlen)
{
  if (res) *res = NULL;
  if (flags) *flags = NULL;
  if (n_flags) *n_flags = 0;
  if (!path) return gb_err(err, errlen, GB_EINVAL, "gb_report_read_run: path is NULL");
  rp_lock();
  int rc = read_run_impl(path, meta, prov, res, flags, n_flags, 1, err, errlen);
  rp_unlock();
  return rc;
}

int gb_report_read_run_summary(const char *path, gb_run_meta *meta, gb_provenance *prov,
                               gb_summary *summary, gb_flag **flags, size_t *n_flags, char *err,
                               size_t errlen)
{
  if (flags) *flags = NULL;
  if (n_flags) *n_flags = 0;
  if (!path) return gb_err(err, errlen, GB_EINVAL, "gb_report_read_run_summary: path is NULL");
  gb_result *res = NULL;
  rp_lock();
  int rc = read_run_impl(path, meta, prov, summary ? &res : NULL, flags, n_flags, 0, err, errlen);
  rp_unlock();
  if (rc == GB_OK && summary) *summary = res->summary;
  gb_result_free(res);
  return rc;
}
