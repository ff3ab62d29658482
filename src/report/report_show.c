/* `gaitbatch show`: a run report or a batch summary as text, JSON or CSV. The whole
 * read-and-print runs under the HDF5 lock (the printing is cheap; the lock keeps the
 * multi-call reads consistent). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaitbatch/report.h"
#include "gaitbatch/status.h"
#include "report/report_format.h"
#include "report/report_h5.h"
#include "report/report_internal.h"
#include "util/errbuf.h"

/* Days of data before an athlete's last day whose flags count as open. */
#define OPEN_FLAG_DAYS 14

/* ---- generic attribute dump (JSON) ---------------------------------------------- */

typedef struct attr_ctx {
  FILE *out;
  int n;
  int failed;
} attr_ctx;

static herr_t attr_json_cb(hid_t loc, const char *name, const H5A_info_t *info, void *data)
{
  (void)info;
  attr_ctx *c = data;
  hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
  if (a < 0) return -1;
  hid_t t = H5Aget_type(a), sp = H5Aget_space(a);
  H5T_class_t cls = H5Tget_class(t);
  hssize_t np = H5Sget_simple_extent_npoints(sp);
  int scalar = H5Sget_simple_extent_ndims(sp) == 0;
  H5Tclose(t);
  H5Sclose(sp);
  H5Aclose(a);
  if (c->n++) fputs(", ", c->out);
  rp_json_str(c->out, name);
  fputs(": ", c->out);
  if (cls == H5T_STRING && scalar) {
    char buf[8192];
    if (rp_attr_read_str(loc, name, buf, sizeof buf) < 0) return -1;
    rp_json_str(c->out, buf);
  } else if (cls == H5T_STRING) {
    char **s = NULL;
    size_t n = 0;
    if (rp_attr_read_strs(loc, name, &s, &n) != 0) return -1;
    fputc('[', c->out);
    for (size_t i = 0; i < n; i++) {
      if (i) fputs(", ", c->out);
      rp_json_str(c->out, s[i]);
    }
    fputc(']', c->out);
    rp_strs_free(s, n);
  } else if (cls == H5T_INTEGER && np == 1) {
    int64_t v = 0;
    hid_t aa = H5Aopen(loc, name, H5P_DEFAULT);
    herr_t hr = aa >= 0 ? H5Aread(aa, H5T_NATIVE_INT64, &v) : -1;
    if (aa >= 0) H5Aclose(aa);
    if (hr < 0) return -1;
    fprintf(c->out, "%" PRId64, v);
  } else if (cls == H5T_FLOAT && np == 1) {
    double v = 0;
    if (rp_attr_read_f64(loc, name, &v) != 0) return -1;
    rp_json_f64(c->out, v);
  } else {
    fputs("null", c->out);
  }
  return 0;
}

static int attrs_json(FILE *out, hid_t obj)
{
  attr_ctx c = {out, 0, 0};
  fputc('{', out);
  hsize_t idx = 0;
  herr_t hr = H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_INC, &idx, attr_json_cb, &c);
  fputc('}', out);
  return hr < 0 ? -1 : 0;
}

static long table_rows(hid_t f, const char *name)
{
  if (H5Lexists(f, name, H5P_DEFAULT) <= 0) return 0;
  hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
  if (d < 0) return -1;
  hid_t sp = H5Dget_space(d);
  hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
  if (sp >= 0) H5Sclose(sp);
  H5Dclose(d);
  return (long)n;
}

static const char *label(const char *s, size_t width, char *buf, size_t len)
{
  rp_get_str(buf, len, s, width);
  return buf;
}

/* ---- run report ---------------------------------------------------------------- */

typedef struct run_view {
  char run_id[GB_ID_MAX], athlete[GB_ID_MAX], start[64], location[32], input[GB_PATH_MAX];
  char input_hash[32], config_hash[32], generator[64], created[64], notes[600], warnings[600];
  double rate, full_scale;
  int32_t channels;
  rp_summary_row *summary;
  size_t n_summary;
  rp_flag_row *flags;
  size_t n_flags;
  rp_bout_row *bouts;
  size_t n_bouts;
  rp_event_row *events;
  size_t n_events;
  long n_cadence, n_steps;
} run_view;

static void run_view_free(run_view *v)
{
  free(v->summary);
  free(v->flags);
  free(v->bouts);
  free(v->events);
}

static int run_view_read(hid_t f, run_view *v)
{
  memset(v, 0, sizeof *v);
  struct { const char *name; char *buf; size_t len; } s[] = {
    {"run_id", v->run_id, sizeof v->run_id},       {"athlete", v->athlete, sizeof v->athlete},
    {"start", v->start, sizeof v->start},          {"location", v->location, sizeof v->location},
    {"input_path", v->input, sizeof v->input},     {"input_hash", v->input_hash, sizeof v->input_hash},
    {"config_hash", v->config_hash, sizeof v->config_hash},
    {"generator", v->generator, sizeof v->generator}, {"created", v->created, sizeof v->created},
    {"notes", v->notes, sizeof v->notes},          {"warnings", v->warnings, sizeof v->warnings}};
  for (size_t i = 0; i < sizeof s / sizeof *s; i++)
    if (rp_attr_read_str(f, s[i].name, s[i].buf, s[i].len) < 0) return -1;
  v->rate = v->full_scale = NAN;
  if (rp_attr_read_f64(f, "sample_rate_hz", &v->rate) < 0 ||
      rp_attr_read_f64(f, "full_scale_g", &v->full_scale) < 0 ||
      rp_attr_read_i32(f, "channels", &v->channels) < 0)
    return -1;
  int r;
  if ((r = rp_table_read(f, "summary", &rp_tab_summary, (void **)&v->summary, &v->n_summary)) < 0 ||
      (r = rp_table_read(f, "flags", &rp_tab_flags, (void **)&v->flags, &v->n_flags)) < 0 ||
      (r = rp_table_read(f, "bouts", &rp_tab_bouts, (void **)&v->bouts, &v->n_bouts)) < 0 ||
      (r = rp_table_read(f, "events", &rp_tab_events, (void **)&v->events, &v->n_events)) < 0)
    return r;
  v->n_cadence = table_rows(f, "cadence");
  v->n_steps = table_rows(f, "steps");
  if (v->n_cadence < 0 || v->n_steps < 0) return -1;
  return 0;
}

/* 4 significant digits for text output ("n/a" for NaN). */
static void text_g(FILE *out, double v)
{
  if (isnan(v))
    fputs("n/a", out);
  else
    fprintf(out, "%.4g", v);
}

static void text_flag(FILE *out, const char *code, size_t wcode, const char *sev, size_t wsev,
                      const char *span, double value, double threshold, const char *msg,
                      size_t wmsg)
{
  char c[RP_W_CODE + 1], s[RP_W_SEV + 1], m[RP_W_MSG + 1];
  fprintf(out, "    [%s] %-22s %s  value ", label(sev, wsev, s, sizeof s),
          label(code, wcode, c, sizeof c), span);
  text_g(out, value);
  fputs(", threshold ", out);
  text_g(out, threshold);
  fprintf(out, ": %s\n", label(msg, wmsg, m, sizeof m));
}

static void show_run_text(FILE *out, const char *path, const run_view *v)
{
  const rp_summary_row *s = v->summary;
  char lp[RP_W_LABEL + 1];
  fprintf(out, "report       %s (gaitbatch.run, %s, created %s)\n", path, v->generator,
          v->created[0] ? v->created : "?");
  fprintf(out, "run          %s\n", v->run_id);
  fprintf(out, "athlete      %s\n", v->athlete[0] ? v->athlete : "(unknown)");
  fprintf(out, "start        %s\n", v->start[0] ? v->start : "(unknown)");
  fprintf(out, "input        %s (xxh64 %s)\n", v->input, v->input_hash);
  fprintf(out, "sensor       %s, %d channel(s), ", v->location, (int)v->channels);
  rp_text_num(out, v->rate, 1, "Hz");
  fputs(", full scale ", out);
  if (v->full_scale > 0) rp_text_num(out, v->full_scale, 0, "g");
  else fputs("unknown", out);
  fputc('\n', out);
  fputs("duration     ", out);
  rp_text_num(out, s->duration_s, 1, "s");
  fputs(" (running ", out);
  rp_text_num(out, s->running_s, 1, "s");
  fputs(", walking ", out);
  rp_text_num(out, s->walking_s, 1, "s");
  fputs(", still ", out);
  rp_text_num(out, s->still_s, 1, "s");
  fputs(")\ncadence      mean ", out);
  rp_text_num(out, s->cadence_mean_spm, 1, "spm");
  fputs(", median ", out);
  rp_text_num(out, s->cadence_median_spm, 1, "spm");
  fputs(", CV ", out);
  rp_text_num(out, s->cadence_cv, 3, NULL);
  fprintf(out, "\nsteps        %d\n", (int)s->n_steps);
  if (s->impact_available) {
    fputs("impact       PTA mean ", out);
    rp_text_num(out, s->pta_mean_g, 2, "g");
    fputs(", p95 ", out);
    rp_text_num(out, s->pta_p95_g, 2, "g");
    fputs("; loading rate ", out);
    rp_text_num(out, s->loading_rate_mean_gps, 0, "g/s");
    fputs("; cumulative ", out);
    rp_text_num(out, s->cumulative_impact_g, 0, "g");
    fprintf(out, "\nlanding      %s (rearfoot share ",
            label(s->landing_pattern, sizeof s->landing_pattern, lp, sizeof lp));
    rp_text_num(out, s->rearfoot_share, 2, NULL);
    fputs(", confidence ", out);
    rp_text_num(out, s->landing_confidence, 2, NULL);
    fputs(")\n", out);
  } else {
    fputs("impact       unavailable (see notes)\n", out);
  }
  fputs("posture      trunk lean ", out);
  rp_text_num(out, s->trunk_lean_deg, 1, "deg");
  fputs(" (drift ", out);
  rp_text_num(out, s->trunk_lean_drift_deg, 1, "deg");
  fputs("), vertical oscillation ", out);
  rp_text_num(out, s->vertical_oscillation_cm, 1, "cm");
  fputs("\ncontact      ", out);
  rp_text_num(out, s->contact_time_ms, 0, "ms");
  fputs("; asymmetry ", out);
  rp_text_num(out, s->asymmetry_pct, 1, "%");
  fputs("; impact CV ", out);
  rp_text_num(out, s->impact_cv, 3, NULL);
  fputs("; clipped share ", out);
  rp_text_num(out, s->clipped_share, 3, NULL);
  fputc('\n', out);
  if (v->notes[0]) fprintf(out, "notes        %s\n", v->notes);
  if (v->warnings[0]) fprintf(out, "warnings     %s\n", v->warnings);
  fprintf(out, "tables       cadence %ld, steps %ld, bouts %zu, events %zu, flags %zu rows\n",
          v->n_cadence, v->n_steps, v->n_bouts, v->n_events, v->n_flags);
  if (v->n_events) {
    fputs("events\n", out);
    for (size_t i = 0; i < v->n_events; i++) {
      char k[RP_W_EVENT + 1];
      fprintf(out, "    %-16s %.1f-%.1f s  value ",
              label(v->events[i].kind, sizeof v->events[i].kind, k, sizeof k),
              v->events[i].t_start_s, v->events[i].t_end_s);
      rp_print_f32(out, v->events[i].value);
      fputs(", reference ", out);
      rp_print_f32(out, v->events[i].reference);
      fputc('\n', out);
    }
  }
  fprintf(out, "flags        %zu\n", v->n_flags);
  for (size_t i = 0; i < v->n_flags; i++) {
    const rp_flag_row *fl = &v->flags[i];
    char span[64];
    snprintf(span, sizeof span, "%.1f-%.1f s", fl->t_start_s, fl->t_end_s);
    text_flag(out, fl->code, sizeof fl->code, fl->severity, sizeof fl->severity, span, fl->value,
              fl->threshold, fl->message, sizeof fl->message);
  }
}

static int show_run(hid_t f, const char *path, gb_show_format fmt, FILE *out, char *err,
                    size_t errlen)
{
  run_view v;
  int r = run_view_read(f, &v);
  if (r == GB_ENOMEM) {
    run_view_free(&v);
    return gb_err(err, errlen, GB_ENOMEM, "%s: out of memory", path);
  }
  if (r == GB_EFORMAT) {
    run_view_free(&v);
    return gb_err(err, errlen, GB_EFORMAT,
                  "%s: a table declares more rows than its stored bytes can hold "
                  "(damaged or not written by gaitbatch)", path);
  }
  if (r < 0) {
    run_view_free(&v);
    return rp_h5err(err, errlen, GB_EHDF5, path, "reading the run report");
  }
  if (v.n_summary != 1) {
    run_view_free(&v);
    return gb_err(err, errlen, GB_EFORMAT, "%s: /summary has %zu rows, expected 1", path,
                  v.n_summary);
  }
  int rc = GB_OK;
  if (fmt == GB_SHOW_CSV) {
    fputs("run_id,athlete,start", out);
    rp_csv_header(out, &rp_tab_summary, 1);
    fputc('\n', out);
    rp_csv_str(out, v.run_id, sizeof v.run_id);
    fputc(',', out);
    rp_csv_str(out, v.athlete, sizeof v.athlete);
    fputc(',', out);
    rp_csv_str(out, v.start, sizeof v.start);
    rp_row_csv(out, &rp_tab_summary, v.summary, 1);
    fputc('\n', out);
  } else if (fmt == GB_SHOW_JSON) {
    fputs("{\"schema\": \"gaitbatch.run\", \"path\": ", out);
    rp_json_str(out, path);
    fputs(", \"attributes\": ", out);
    if (attrs_json(out, f) < 0) rc = rp_h5err(err, errlen, GB_EHDF5, path, "reading attributes");
    fputs(", \"summary\": ", out);
    rp_row_json(out, &rp_tab_summary, v.summary);
    fprintf(out, ", \"rows\": {\"cadence\": %ld, \"steps\": %ld, \"bouts\": %zu, \"events\": %zu, "
                 "\"flags\": %zu}", v.n_cadence, v.n_steps, v.n_bouts, v.n_events, v.n_flags);
    fputs(", \"bouts\": ", out);
    rp_rows_json(out, &rp_tab_bouts, v.bouts, v.n_bouts);
    fputs(", \"events\": ", out);
    rp_rows_json(out, &rp_tab_events, v.events, v.n_events);
    fputs(", \"flags\": ", out);
    rp_rows_json(out, &rp_tab_flags, v.flags, v.n_flags);
    fputs("}\n", out);
  } else {
    show_run_text(out, path, &v);
  }
  run_view_free(&v);
  return rc;
}

/* ---- summary ------------------------------------------------------------------- */

typedef struct athlete_view {
  char athlete[GB_ID_MAX];
  rp_daily_row *daily;
  size_t n_daily;
  rp_weekly_row *weekly;
  size_t n_weekly;
} athlete_view;

typedef struct summary_view {
  char created[64];
  int32_t n_runs, n_failed;
  rp_run_row *runs;
  size_t n_runs_rows;
  rp_sflag_row *flags;
  size_t n_flags;
  rp_error_row *errors;
  size_t n_errors;
  athlete_view *ath;
  size_t n_ath, cap_ath;
  long *fday;         /* per flag: its day (see compute_flag_days) */
  unsigned char *fday_ok;
} summary_view;

static void summary_view_free(summary_view *v)
{
  free(v->runs);
  free(v->flags);
  free(v->errors);
  for (size_t i = 0; i < v->n_ath; i++) {
    free(v->ath[i].daily);
    free(v->ath[i].weekly);
  }
  free(v->ath);
  free(v->fday);
  free(v->fday_ok);
}

static athlete_view *add_athlete(summary_view *v, const char *id)
{
  if (v->n_ath == v->cap_ath) {
    size_t cap = v->cap_ath ? 2 * v->cap_ath : 8;
    athlete_view *a = realloc(v->ath, cap * sizeof *a);
    if (!a) return NULL;
    v->ath = a;
    v->cap_ath = cap;
  }
  athlete_view *a = &v->ath[v->n_ath++];
  memset(a, 0, sizeof *a);
  gb_strlcpy(a->athlete, id, sizeof a->athlete);
  return a;
}

static int athlete_cb(hid_t g, const char *athlete, void *ctx)
{
  summary_view *v = ctx;
  athlete_view *a = add_athlete(v, athlete);
  if (!a) return GB_ENOMEM;
  int r = rp_table_read(g, "daily", &rp_tab_daily, (void **)&a->daily, &a->n_daily);
  if (r < 0) return r;
  r = rp_table_read(g, "weekly", &rp_tab_weekly, (void **)&a->weekly, &a->n_weekly);
  return r < 0 ? r : 0;
}

static int compute_flag_days(summary_view *v);

static int summary_view_read(hid_t f, summary_view *v)
{
  memset(v, 0, sizeof *v);
  if (rp_attr_read_str(f, "created", v->created, sizeof v->created) < 0 ||
      rp_attr_read_i32(f, "n_runs", &v->n_runs) < 0 ||
      rp_attr_read_i32(f, "n_failed", &v->n_failed) < 0)
    return -1;
  int r;
  if ((r = rp_table_read(f, "runs", &rp_tab_runs, (void **)&v->runs, &v->n_runs_rows)) < 0 ||
      (r = rp_table_read(f, "flags", &rp_tab_sflags, (void **)&v->flags, &v->n_flags)) < 0 ||
      (r = rp_table_read(f, "errors", &rp_tab_errors, (void **)&v->errors, &v->n_errors)) < 0 ||
      (r = rp_summary_athletes(f, athlete_cb, v)) < 0)
    return r;
  /* athletes with runs but no load group (e.g. all their runs failed) */
  for (size_t i = 0; i < v->n_runs_rows; i++) {
    char id[GB_ID_MAX];
    rp_get_str(id, sizeof id, v->runs[i].athlete, sizeof v->runs[i].athlete);
    int seen = 0;
    for (size_t k = 0; k < v->n_ath && !seen; k++) seen = strcmp(v->ath[k].athlete, id) == 0;
    if (!seen && !add_athlete(v, id)) return GB_ENOMEM;
  }
  return compute_flag_days(v);
}

static int field_is(const char *fixed, size_t width, const char *s)
{
  size_t n = strnlen(fixed, width);
  return strlen(s) == n && memcmp(fixed, s, n) == 0;
}

static int cmp_run_id(const void *a, const void *b)
{
  const rp_run_row *x = *(const rp_run_row *const *)a, *y = *(const rp_run_row *const *)b;
  return strncmp(x->run_id, y->run_id, sizeof x->run_id);
}

static int cmp_key_run(const void *key, const void *elem)
{
  const rp_run_row *y = *(const rp_run_row *const *)elem;
  return strncmp((const char *)key, y->run_id, sizeof y->run_id);
}

/* Day of every flag, once: load.* flags carry days; run flags take their run's start
 * date (runs found by binary search on run_id). */
static int compute_flag_days(summary_view *v)
{
  size_t nf = v->n_flags ? v->n_flags : 1;
  v->fday = calloc(nf, sizeof *v->fday);
  v->fday_ok = calloc(nf, 1);
  const rp_run_row **idx = calloc(v->n_runs_rows ? v->n_runs_rows : 1, sizeof *idx);
  if (!v->fday || !v->fday_ok || !idx) {
    free(idx);
    return GB_ENOMEM;
  }
  for (size_t i = 0; i < v->n_runs_rows; i++) idx[i] = &v->runs[i];
  qsort(idx, v->n_runs_rows, sizeof *idx, cmp_run_id);
  for (size_t k = 0; k < v->n_flags; k++) {
    const rp_sflag_row *fl = &v->flags[k];
    if (strncmp(fl->code, "load.", 5) == 0) {
      if (!isnan(fl->t_end_s)) {
        v->fday[k] = (long)floor(fl->t_end_s);
        v->fday_ok[k] = 1;
      }
      continue;
    }
    char rid[RP_W_ID + 1], start[RP_W_START + 1];
    rp_get_str(rid, sizeof rid, fl->run_id, sizeof fl->run_id);
    const rp_run_row **r = bsearch(rid, idx, v->n_runs_rows, sizeof *idx, cmp_key_run);
    if (!r) continue;
    rp_get_str(start, sizeof start, (*r)->start, sizeof (*r)->start);
    v->fday_ok[k] = rp_iso_day(start, &v->fday[k]) == 0;
  }
  free(idx);
  return 0;
}

/* The athlete's last day of data: last daily row, else the latest run start. */
static int last_day(const summary_view *v, const athlete_view *a, long *day)
{
  if (a->n_daily) {
    *day = (long)a->daily[a->n_daily - 1].day;
    for (size_t i = 0; i < a->n_daily; i++)
      if ((long)a->daily[i].day > *day) *day = (long)a->daily[i].day;
    return 0;
  }
  int have = 0;
  for (size_t i = 0; i < v->n_runs_rows; i++) {
    if (!field_is(v->runs[i].athlete, sizeof v->runs[i].athlete, a->athlete)) continue;
    char start[RP_W_START + 1];
    long d;
    rp_get_str(start, sizeof start, v->runs[i].start, sizeof v->runs[i].start);
    if (rp_iso_day(start, &d) == 0 && (!have || d > *day)) {
      *day = d;
      have = 1;
    }
  }
  return have ? 0 : -1;
}

static int flag_open(const summary_view *v, const athlete_view *a, size_t k, int have_last,
                     long last)
{
  const rp_sflag_row *fl = &v->flags[k];
  if (!field_is(fl->athlete, sizeof fl->athlete, a->athlete)) return 0;
  if (!have_last || !v->fday_ok[k]) return 1; /* cannot tell: keep it visible */
  return v->fday[k] > last - OPEN_FLAG_DAYS;
}

static size_t athlete_runs(const summary_view *v, const athlete_view *a)
{
  size_t n = 0;
  for (size_t i = 0; i < v->n_runs_rows; i++)
    n += field_is(v->runs[i].athlete, sizeof v->runs[i].athlete, a->athlete);
  return n;
}

static int is_info(const rp_sflag_row *fl)
{
  return !field_is(fl->severity, sizeof fl->severity, "high") &&
         !field_is(fl->severity, sizeof fl->severity, "warn");
}

/* "    [info] landing.rearfoot x9, intensity.surge x16" over the open info flags, codes
 * in order of first appearance. */
static void show_info_counts(FILE *out, const summary_view *v, const athlete_view *a,
                             int have_last, long last)
{
  enum { MAX_CODES = 64 };
  const char *codes[MAX_CODES];
  size_t counts[MAX_CODES], n_codes = 0, other = 0;
  for (size_t k = 0; k < v->n_flags; k++) {
    const rp_sflag_row *fl = &v->flags[k];
    if (!is_info(fl) || !flag_open(v, a, k, have_last, last)) continue;
    size_t j = 0;
    while (j < n_codes && memcmp(codes[j], fl->code, sizeof fl->code) != 0) j++;
    if (j == n_codes) {
      if (n_codes == MAX_CODES) {
        other++;
        continue;
      }
      codes[n_codes] = fl->code;
      counts[n_codes++] = 0;
    }
    counts[j]++;
  }
  for (size_t j = 0; j < n_codes; j++) {
    char c[RP_W_CODE + 1];
    fprintf(out, "%s%s x%zu", j ? ", " : "    [info] ", label(codes[j], RP_W_CODE, c, sizeof c),
            counts[j]);
  }
  if (other) fprintf(out, ", other x%zu", other);
  if (n_codes) fputc('\n', out);
}

static void show_summary_text(FILE *out, const char *path, const summary_view *v)
{
  fprintf(out, "summary      %s (gaitbatch.summary, created %s)\n", path,
          v->created[0] ? v->created : "?");
  fprintf(out, "runs         %d (%d failed), %zu flags, %zu errors\n", (int)v->n_runs,
          (int)v->n_failed, v->n_flags, v->n_errors);
  for (size_t i = 0; i < v->n_ath; i++) {
    const athlete_view *a = &v->ath[i];
    long last = 0;
    int have_last = last_day(v, a, &last) == 0;
    char date[16] = "?";
    if (have_last) rp_day_text(last, date, sizeof date);
    fprintf(out, "\nathlete %s: %zu run(s), last data %s\n", a->athlete[0] ? a->athlete : "(unknown)",
            athlete_runs(v, a), date);
    if (a->n_weekly) {
      const rp_weekly_row *w = &a->weekly[a->n_weekly - 1];
      char wk[RP_W_WEEK + 1];
      fprintf(out, "  week %s: %d session(s), ", label(w->week, sizeof w->week, wk, sizeof wk),
              (int)w->n_sessions);
      rp_text_num(out, w->duration_s / 3600.0, 2, "h");
      fputs(", ", out);
      rp_text_num(out, w->steps, 0, "steps");
      fputs(", impact ", out);
      rp_text_num(out, w->impact, 0, "g");
      fputs(", load ", out);
      rp_text_num(out, w->load, 1, NULL);
      fputs("\n  change: ", out);
      if (isnan(w->change_pct)) fputs("n/a", out);
      else fprintf(out, "%+.1f %%", w->change_pct);
      fputs(" vs previous week, ", out);
      if (isnan(w->change_2wk_pct)) fputs("n/a", out);
      else fprintf(out, "%+.1f %%", w->change_2wk_pct);
      fputs(" over 2 weeks\n", out);
    } else {
      fputs("  no weekly load\n", out);
    }
    if (a->n_daily) {
      const rp_daily_row *d = &a->daily[a->n_daily - 1];
      char dd[RP_W_DATE + 1];
      if (!d->base_established) {
        fprintf(out, "  ACWR on %s: chronic base not yet established\n",
                label(d->date, sizeof d->date, dd, sizeof dd));
      } else {
        fprintf(out, "  ACWR on %s: rolling 7/28 ", label(d->date, sizeof d->date, dd, sizeof dd));
        rp_text_num(out, d->acwr_rolling, 2, NULL);
        fputs(", EWMA ", out);
        rp_text_num(out, d->acwr_ewma, 2, NULL);
        fputs(" (association, not a prediction)\n", out);
      }
    }
    size_t n_open = 0;
    for (size_t k = 0; k < v->n_flags; k++) n_open += flag_open(v, a, k, have_last, last);
    fprintf(out, "  open flags (last %d days of data): %zu\n", OPEN_FLAG_DAYS, n_open);
    /* warn and high in full (high first); info flags counted per code */
    for (size_t kk = 0; kk < 2 * v->n_flags; kk++) {
      size_t k = kk % v->n_flags;
      const char *sev = kk < v->n_flags ? "high" : "warn";
      const rp_sflag_row *fl = &v->flags[k];
      if (!flag_open(v, a, k, have_last, last) || !field_is(fl->severity, sizeof fl->severity, sev))
        continue;
      char span[RP_W_ID + 64], rid[RP_W_ID + 1];
      if (strncmp(fl->code, "load.", 5) == 0 && !isnan(fl->t_start_s) && !isnan(fl->t_end_s)) {
        char d0[16], d1[16];
        rp_day_text((long)floor(fl->t_start_s), d0, sizeof d0);
        rp_day_text((long)floor(fl->t_end_s), d1, sizeof d1);
        snprintf(span, sizeof span, "%s..%s", d0, d1);
      } else {
        snprintf(span, sizeof span, "%s %.1f-%.1f s",
                 label(fl->run_id, sizeof fl->run_id, rid, sizeof rid), fl->t_start_s, fl->t_end_s);
      }
      text_flag(out, fl->code, sizeof fl->code, fl->severity, sizeof fl->severity, span,
                fl->value, fl->threshold, fl->message, sizeof fl->message);
    }
    show_info_counts(out, v, a, have_last, last);
  }
  if (v->n_errors) {
    fprintf(out, "\nerrors       %zu\n", v->n_errors);
    for (size_t i = 0; i < v->n_errors; i++) {
      char p[RP_W_PATH + 1], m[RP_W_ERRMSG + 1];
      fprintf(out, "    %s: %s\n", label(v->errors[i].path, sizeof v->errors[i].path, p, sizeof p),
              label(v->errors[i].message, sizeof v->errors[i].message, m, sizeof m));
    }
  }
}

static void show_summary_json(FILE *out, const summary_view *v)
{
  fputs(", \"athletes\": [", out);
  for (size_t i = 0; i < v->n_ath; i++) {
    const athlete_view *a = &v->ath[i];
    long last = 0;
    int have_last = last_day(v, a, &last) == 0;
    if (i) fputs(", ", out);
    fputs("{\"athlete\": ", out);
    rp_json_str(out, a->athlete);
    fprintf(out, ", \"n_runs\": %zu, \"last_day\": ", athlete_runs(v, a));
    if (have_last) {
      char date[16];
      rp_day_text(last, date, sizeof date);
      rp_json_str(out, date);
    } else {
      fputs("null", out);
    }
    fputs(", \"last_week\": ", out);
    if (a->n_weekly) rp_row_json(out, &rp_tab_weekly, &a->weekly[a->n_weekly - 1]);
    else fputs("null", out);
    fputs(", \"last_daily\": ", out);
    if (a->n_daily) rp_row_json(out, &rp_tab_daily, &a->daily[a->n_daily - 1]);
    else fputs("null", out);
    fprintf(out, ", \"open_flag_days\": %d, \"open_flags\": [", OPEN_FLAG_DAYS);
    size_t n = 0;
    for (size_t k = 0; k < v->n_flags; k++) {
      if (!flag_open(v, a, k, have_last, last)) continue;
      if (n++) fputs(", ", out);
      rp_row_json(out, &rp_tab_sflags, &v->flags[k]);
    }
    fputs("]}", out);
  }
  fputs("], \"runs\": ", out);
  rp_rows_json(out, &rp_tab_runs, v->runs, v->n_runs_rows);
  fputs(", \"errors\": ", out);
  rp_rows_json(out, &rp_tab_errors, v->errors, v->n_errors);
  fprintf(out, ", \"n_flags\": %zu}\n", v->n_flags);
}

static int show_summary(hid_t f, const char *path, gb_show_format fmt, FILE *out, char *err,
                        size_t errlen)
{
  summary_view v;
  int r = summary_view_read(f, &v);
  if (r == GB_ENOMEM) {
    summary_view_free(&v);
    return gb_err(err, errlen, GB_ENOMEM, "%s: out of memory", path);
  }
  if (r < 0) {
    summary_view_free(&v);
    return rp_h5err(err, errlen, GB_EHDF5, path, "reading the summary");
  }
  int rc = GB_OK;
  if (fmt == GB_SHOW_CSV) {
    rp_csv_header(out, &rp_tab_runs, 0);
    fputc('\n', out);
    for (size_t i = 0; i < v.n_runs_rows; i++) {
      rp_row_csv(out, &rp_tab_runs, &v.runs[i], 0);
      fputc('\n', out);
    }
  } else if (fmt == GB_SHOW_JSON) {
    fputs("{\"schema\": \"gaitbatch.summary\", \"path\": ", out);
    rp_json_str(out, path);
    fputs(", \"attributes\": ", out);
    if (attrs_json(out, f) < 0) rc = rp_h5err(err, errlen, GB_EHDF5, path, "reading attributes");
    show_summary_json(out, &v);
  } else {
    show_summary_text(out, path, &v);
  }
  summary_view_free(&v);
  return rc;
}

int gb_report_show(const char *path, gb_show_format fmt, FILE *out, char *err, size_t errlen)
{
  if (!path || !out) return gb_err(err, errlen, GB_EINVAL, "gb_report_show: path and out required");
  rp_lock();
  hid_t f;
  char schema[64];
  int rc = rp_open_report(path, NULL, &f, schema, sizeof schema, err, errlen);
  if (rc == 0) {
    if (strcmp(schema, "gaitbatch.run") == 0)
      rc = show_run(f, path, fmt, out, err, errlen);
    else
      rc = show_summary(f, path, fmt, out, err, errlen);
    H5Fclose(f);
  }
  rp_unlock();
  if (rc == 0 && (fflush(out) != 0 || ferror(out)))
    rc = gb_err(err, errlen, GB_EIO, "%s: writing the output failed", path);
  return rc;
}
