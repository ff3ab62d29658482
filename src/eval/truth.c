/* Reading a truth dataset (contract: README "Ground truth format"). Every file is
 * optional; a present file must be well formed, and errors name file:line. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "eval/eval_internal.h"
#include "gaitbatch/eval.h"
#include "gaitbatch/status.h"
#include "util/errbuf.h"

void gb_truth_run_init(gb_truth_run *t)
{
  memset(t, 0, sizeof *t);
  t->duration_s = t->trunk_lean_deg = t->contact_time_ms = NAN;
  t->cadence_mean_spm = t->rearfoot_share = NAN;
  t->landing_pattern = -1;
  t->location = GB_LOC_UNKNOWN;
  t->sensor_side = -1;
}

void gb_truth_run_clear(gb_truth_run *t)
{
  if (!t) return;
  free(t->steps);
  free(t->cadence);
  free(t->events);
  free(t->flags);
  free(t->scope);
  gb_truth_run_init(t);
}

/* Column that must exist. */
static int need_col(const gb_csv_table *t, const char *name, long *col, char *err, size_t errlen)
{
  *col = gb_csv_col(t, name);
  if (*col < 0)
    return gb_err(err, errlen, GB_EFORMAT, "%s:%zu: header has no column '%s'", t->path,
                  t->header_line, name);
  return GB_OK;
}

/* Number in a cell: required (empty is an error) or optional (empty = NaN). */
static int cell_num(const gb_csv_table *t, size_t r, long col, int required, double *out,
                    char *err, size_t errlen)
{
  if (col < 0) {
    *out = NAN;
    return GB_OK;
  }
  int rc = gb_csv_num(t, r, col, out);
  if (rc < 0 || (rc == 1 && required) || (rc == 0 && !isfinite(*out)))
    return gb_err(err, errlen, GB_EFORMAT, "%s:%zu: column '%s': expected a %snumber, got '%s'",
                  t->path, t->line[r], t->header[col], required ? "" : "finite ",
                  gb_csv_cell(t, r, col));
  return GB_OK;
}

static int cmp_cadence(const void *a, const void *b)
{
  const gb_truth_cadence *x = a, *y = b;
  return (x->t_s > y->t_s) - (x->t_s < y->t_s);
}

static int read_steps(gb_csv_table *t, gb_truth_run *out, char *err, size_t errlen)
{
  long ct, cs, cl, cc, cp;
  int rc = need_col(t, "t_s", &ct, err, errlen);
  if (rc) return rc;
  cs = gb_csv_col(t, "side");
  cl = gb_csv_col(t, "landing");
  cc = gb_csv_col(t, "contact_time_ms");
  cp = gb_csv_col(t, "peak_g");
  out->steps = calloc(t->n_rows ? t->n_rows : 1, sizeof *out->steps);
  if (!out->steps) return GB_ENOMEM;
  for (size_t r = 0; r < t->n_rows; r++) {
    gb_truth_step *s = &out->steps[r];
    double side;
    if ((rc = cell_num(t, r, ct, 0, &s->t_s, err, errlen)) ||
        (rc = cell_num(t, r, cc, 0, &s->contact_time_ms, err, errlen)) ||
        (rc = cell_num(t, r, cp, 0, &s->peak_g, err, errlen)) ||
        (rc = cell_num(t, r, cs, 0, &side, err, errlen)))
      return rc;
    if (isnan(side)) side = -1;
    if (side != -1 && side != 0 && side != 1)
      return gb_err(err, errlen, GB_EFORMAT, "%s:%zu: column 'side': expected 0, 1 or -1, got '%s'",
                    t->path, t->line[r], gb_csv_cell(t, r, cs));
    s->side = (int)side;
    s->landing = gb_eval_landing_parse(gb_csv_cell(t, r, cl));
    if (s->landing < 0)
      return gb_err(err, errlen, GB_EFORMAT,
                    "%s:%zu: column 'landing': expected rearfoot, midfoot or unknown, got '%s'",
                    t->path, t->line[r], gb_csv_cell(t, r, cl));
  }
  out->n_steps = t->n_rows;
  return GB_OK;
}

static int read_cadence(gb_csv_table *t, gb_truth_run *out, char *err, size_t errlen)
{
  long ct, cc;
  int rc;
  if ((rc = need_col(t, "t_s", &ct, err, errlen)) || (rc = need_col(t, "cadence_spm", &cc, err, errlen)))
    return rc;
  out->cadence = calloc(t->n_rows ? t->n_rows : 1, sizeof *out->cadence);
  if (!out->cadence) return GB_ENOMEM;
  for (size_t r = 0; r < t->n_rows; r++) {
    gb_truth_cadence *c = &out->cadence[r];
    if ((rc = cell_num(t, r, ct, 1, &c->t_s, err, errlen)) ||
        (rc = cell_num(t, r, cc, 1, &c->cadence_spm, err, errlen)))
      return rc;
    if (c->cadence_spm < 0)
      return gb_err(err, errlen, GB_EFORMAT, "%s:%zu: column 'cadence_spm': expected >= 0, got '%s'",
                    t->path, t->line[r], gb_csv_cell(t, r, cc));
  }
  out->n_cadence = t->n_rows;
  qsort(out->cadence, out->n_cadence, sizeof *out->cadence, cmp_cadence);
  return GB_OK;
}

static int read_span(const gb_csv_table *t, size_t r, long c0, long c1, int required, double *a,
                     double *b, char *err, size_t errlen)
{
  int rc;
  if ((rc = cell_num(t, r, c0, required, a, err, errlen)) ||
      (rc = cell_num(t, r, c1, required, b, err, errlen)))
    return rc;
  if (*b < *a)
    return gb_err(err, errlen, GB_EFORMAT, "%s:%zu: t_end_s (%g) before t_start_s (%g)", t->path,
                  t->line[r], *b, *a);
  return GB_OK;
}

static int read_events(gb_csv_table *t, gb_truth_run *out, char *err, size_t errlen)
{
  long ck, c0, c1, cv;
  int rc;
  if ((rc = need_col(t, "kind", &ck, err, errlen)) || (rc = need_col(t, "t_start_s", &c0, err, errlen)) ||
      (rc = need_col(t, "t_end_s", &c1, err, errlen)))
    return rc;
  cv = gb_csv_col(t, "value");
  out->events = calloc(t->n_rows ? t->n_rows : 1, sizeof *out->events);
  if (!out->events) return GB_ENOMEM;
  for (size_t r = 0; r < t->n_rows; r++) {
    gb_truth_event *e = &out->events[r];
    e->kind = gb_eval_event_kind_parse(gb_csv_cell(t, r, ck));
    if (e->kind < 0)
      return gb_err(err, errlen, GB_EFORMAT,
                    "%s:%zu: column 'kind': expected an event kind (warmup_missing, surge, "
                    "fatigue_drift, abrupt_stop, irregular, asymmetry, trunk_lean, warmup), got '%s'",
                    t->path, t->line[r], gb_csv_cell(t, r, ck));
    if ((rc = read_span(t, r, c0, c1, 1, &e->t_start_s, &e->t_end_s, err, errlen)) ||
        (rc = cell_num(t, r, cv, 0, &e->value, err, errlen)))
      return rc;
  }
  out->n_events = t->n_rows;
  return GB_OK;
}

static int read_flags(gb_csv_table *t, gb_truth_run *out, char *err, size_t errlen)
{
  long cc, c0, c1;
  int rc;
  if ((rc = need_col(t, "code", &cc, err, errlen))) return rc;
  c0 = gb_csv_col(t, "t_start_s");
  c1 = gb_csv_col(t, "t_end_s");
  out->flags = calloc(t->n_rows ? t->n_rows : 1, sizeof *out->flags);
  if (!out->flags) return GB_ENOMEM;
  for (size_t r = 0; r < t->n_rows; r++) {
    gb_truth_flag *f = &out->flags[r];
    const char *code = gb_csv_cell(t, r, cc);
    if (!*code || strlen(code) >= sizeof f->code)
      return gb_err(err, errlen, GB_EFORMAT, "%s:%zu: column 'code': expected a flag code of 1-%zu "
                    "characters, got '%s'", t->path, t->line[r], sizeof f->code - 1, code);
    gb_strlcpy(f->code, code, sizeof f->code);
    if ((rc = cell_num(t, r, c0, 0, &f->t_start_s, err, errlen)) ||
        (rc = cell_num(t, r, c1, 0, &f->t_end_s, err, errlen)))
      return rc;
  }
  out->n_flags = t->n_rows;
  return GB_OK;
}

static int read_scope(gb_csv_table *t, gb_truth_run *out, char *err, size_t errlen)
{
  long c0, c1;
  int rc;
  if ((rc = need_col(t, "t_start_s", &c0, err, errlen)) || (rc = need_col(t, "t_end_s", &c1, err, errlen)))
    return rc;
  out->scope = calloc(t->n_rows ? t->n_rows : 1, sizeof *out->scope);
  if (!out->scope) return GB_ENOMEM;
  for (size_t r = 0; r < t->n_rows; r++)
    if ((rc = read_span(t, r, c0, c1, 1, &out->scope[r].t_start_s, &out->scope[r].t_end_s, err,
                        errlen)))
      return rc;
  out->n_scope = t->n_rows;
  return GB_OK;
}

static int read_runfacts(gb_csv_table *t, gb_truth_run *out, char *err, size_t errlen)
{
  static const struct {
    const char *key;
    size_t off;
  } nums[] = {
      {"duration_s", offsetof(gb_truth_run, duration_s)},
      {"trunk_lean_deg", offsetof(gb_truth_run, trunk_lean_deg)},
      {"contact_time_ms", offsetof(gb_truth_run, contact_time_ms)},
      {"cadence_mean_spm", offsetof(gb_truth_run, cadence_mean_spm)},
      {"rearfoot_share", offsetof(gb_truth_run, rearfoot_share)},
  };
  long ck, cv;
  int rc;
  if ((rc = need_col(t, "key", &ck, err, errlen)) || (rc = need_col(t, "value", &cv, err, errlen)))
    return rc;
  for (size_t r = 0; r < t->n_rows; r++) {
    const char *key = gb_csv_cell(t, r, ck);
    const char *val = gb_csv_cell(t, r, cv);
    if (strcasecmp(key, "landing_pattern") == 0) {
      if (!*val) continue;
      out->landing_pattern = gb_eval_pattern_parse(val);
      if (out->landing_pattern < 0)
        return gb_err(err, errlen, GB_EFORMAT, "%s:%zu: landing_pattern: expected rearfoot, "
                      "midfoot, mixed or unknown, got '%s'", t->path, t->line[r], val);
      continue;
    }
    if (strcasecmp(key, "location") == 0) {
      gb_location loc;
      if (!*val) continue;
      if (gb_location_parse(val, &loc) != GB_OK)
        return gb_err(err, errlen, GB_EFORMAT, "%s:%zu: location: expected tibia, foot, sacrum, "
                      "trunk, wrist or thigh, got '%s'", t->path, t->line[r], val);
      out->location = (int)loc;
      continue;
    }
    if (strcasecmp(key, "sensor_side") == 0) {
      double side;
      if ((rc = cell_num(t, r, cv, 0, &side, err, errlen))) return rc;
      if (!isnan(side) && side != 0 && side != 1 && side != -1)
        return gb_err(err, errlen, GB_EFORMAT, "%s:%zu: sensor_side: expected 0, 1 or -1, got '%s'",
                      t->path, t->line[r], val);
      out->sensor_side = isnan(side) ? -1 : (int)side;
      continue;
    }
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++) {
      if (strcasecmp(key, nums[i].key) != 0) continue;
      double *dst = (double *)((char *)out + nums[i].off);
      if ((rc = cell_num(t, r, cv, 0, dst, err, errlen))) return rc;
    }
    /* other keys (location, sample_rate_hz, n_steps, scenario, ...) are descriptive */
  }
  return GB_OK;
}

typedef int (*reader_fn)(gb_csv_table *, gb_truth_run *, char *, size_t);

int gb_truth_read_run(const char *dataset_dir, const char *run_id, gb_truth_run *out, char *err,
                      size_t errlen)
{
  static const struct {
    const char *file;
    unsigned bit;
    reader_fn fn;
  } files[] = {
      {"steps.csv", GB_TRUTH_STEPS, read_steps},     {"cadence.csv", GB_TRUTH_CADENCE, read_cadence},
      {"events.csv", GB_TRUTH_EVENTS, read_events},  {"run.csv", GB_TRUTH_RUN, read_runfacts},
      {"flags.csv", GB_TRUTH_FLAGS, read_flags},     {"scope.csv", GB_TRUTH_SCOPE, read_scope},
  };
  gb_truth_run_init(out);
  if (strlen(run_id) >= sizeof out->run_id)
    return gb_err(err, errlen, GB_EINVAL, "run id '%s' longer than %zu characters", run_id,
                  sizeof out->run_id - 1);
  gb_strlcpy(out->run_id, run_id, sizeof out->run_id);
  char path[GB_PATH_MAX];
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
    if ((size_t)snprintf(path, sizeof path, "%s/truth/%s/%s", dataset_dir, run_id, files[i].file) >=
        sizeof path)
      return gb_err(err, errlen, GB_EINVAL, "%s/truth/%s: path too long", dataset_dir, run_id);
    gb_csv_table t;
    int rc = gb_csv_read(path, &t, err, errlen);
    if (rc == GB_ENOENT) continue;
    if (rc) {
      gb_truth_run_clear(out);
      return rc;
    }
    rc = files[i].fn(&t, out, err, errlen);
    gb_csv_free(&t);
    if (rc) {
      gb_truth_run_clear(out);
      gb_strlcpy(out->run_id, run_id, sizeof out->run_id);
      return rc;
    }
    out->have |= files[i].bit;
  }
  return GB_OK;
}

static int is_date(const char *s)
{
  if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') return 0;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return 0;
  return 1;
}

static int read_load_flags(const char *dir, gb_truth_set *set, char *err, size_t errlen)
{
  char path[GB_PATH_MAX];
  if ((size_t)snprintf(path, sizeof path, "%s/truth/load_flags.csv", dir) >= sizeof path)
    return gb_err(err, errlen, GB_EINVAL, "%s: path too long", dir);
  gb_csv_table t;
  int rc = gb_csv_read(path, &t, err, errlen);
  if (rc == GB_ENOENT) return GB_OK;
  if (rc) return rc;
  long ca, cr, cc, cd;
  if ((rc = need_col(&t, "athlete", &ca, err, errlen)) || (rc = need_col(&t, "code", &cc, err, errlen)) ||
      (rc = need_col(&t, "date", &cd, err, errlen)))
    goto done;
  cr = gb_csv_col(&t, "run_id");
  set->load_flags = calloc(t.n_rows ? t.n_rows : 1, sizeof *set->load_flags);
  if (!set->load_flags) {
    rc = GB_ENOMEM;
    goto done;
  }
  for (size_t r = 0; r < t.n_rows; r++) {
    gb_truth_load_flag *f = &set->load_flags[r];
    const char *a = gb_csv_cell(&t, r, ca), *code = gb_csv_cell(&t, r, cc);
    const char *date = gb_csv_cell(&t, r, cd), *rid = gb_csv_cell(&t, r, cr);
    if (strlen(a) >= sizeof f->athlete || strlen(rid) >= sizeof f->run_id || !*code ||
        strlen(code) >= sizeof f->code) {
      rc = gb_err(err, errlen, GB_EFORMAT, "%s:%zu: athlete, run_id or code empty or too long",
                  path, t.line[r]);
      goto done;
    }
    if (!is_date(date)) {
      rc = gb_err(err, errlen, GB_EFORMAT, "%s:%zu: column 'date': expected YYYY-MM-DD, got '%s'",
                  path, t.line[r], date);
      goto done;
    }
    gb_strlcpy(f->athlete, a, sizeof f->athlete);
    gb_strlcpy(f->run_id, rid, sizeof f->run_id);
    gb_strlcpy(f->code, code, sizeof f->code);
    gb_strlcpy(f->date, date, sizeof f->date);
  }
  set->n_load_flags = t.n_rows;
  set->have_load_flags = 1;
done:
  gb_csv_free(&t);
  return rc;
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run ids from the sub-folders of DIR/truth/ (sorted), when the manifest has none. */
static int list_truth_dirs(const char *dir, char ***names, size_t *n, char *err, size_t errlen)
{
  char path[GB_PATH_MAX];
  snprintf(path, sizeof path, "%s/truth", dir);
  *names = NULL;
  *n = 0;
  DIR *d = opendir(path);
  if (!d) return GB_OK;
  size_t cap = 0;
  struct dirent *e;
  int rc = GB_OK;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    char sub[GB_PATH_MAX];
    struct stat st;
    if ((size_t)snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) >= sizeof sub) continue;
    if (stat(sub, &st) != 0 || !S_ISDIR(st.st_mode)) continue;
    if (*n == cap) {
      cap = cap ? cap * 2 : 16;
      char **nn = realloc(*names, cap * sizeof *nn);
      if (!nn) {
        rc = GB_ENOMEM;
        break;
      }
      *names = nn;
    }
    if (!((*names)[*n] = strdup(e->d_name))) {
      rc = GB_ENOMEM;
      break;
    }
    (*n)++;
  }
  closedir(d);
  if (rc) return gb_err(err, errlen, rc, "%s: out of memory listing runs", path);
  qsort(*names, *n, sizeof **names, cmp_str);
  return GB_OK;
}

/* File stem of a manifest path: the batch's run id when a row has none. */
static void path_stem(const char *p, char *out, size_t len)
{
  const char *b = strrchr(p, '/');
  b = b ? b + 1 : p;
  gb_strlcpy(out, b, len);
  char *dot = strrchr(out, '.');
  if (dot && dot != out) *dot = '\0';
}

int gb_truth_read_dir(const char *dataset_dir, gb_truth_set **out, char *err, size_t errlen)
{
  *out = NULL;
  char path[GB_PATH_MAX];
  if ((size_t)snprintf(path, sizeof path, "%s/manifest.csv", dataset_dir) >= sizeof path)
    return gb_err(err, errlen, GB_EINVAL, "%s: path too long", dataset_dir);
  gb_csv_table m;
  int rc = gb_csv_read(path, &m, err, errlen);
  if (rc == GB_ENOENT) return gb_err(err, errlen, GB_ENOENT, "%s: no such file", path);
  if (rc) return rc;
  gb_truth_set *set = calloc(1, sizeof *set);
  char **names = NULL;
  size_t n_names = 0;
  if (!set) {
    gb_csv_free(&m);
    return GB_ENOMEM;
  }
  long cid = gb_csv_col(&m, "run_id"), cath = gb_csv_col(&m, "athlete"), cp = gb_csv_col(&m, "path");
  size_t n = m.n_rows;
  if (cid < 0) {
    if ((rc = list_truth_dirs(dataset_dir, &names, &n_names, err, errlen))) goto fail;
    n = n_names;
  }
  set->runs = calloc(n ? n : 1, sizeof *set->runs);
  if (!set->runs) {
    rc = GB_ENOMEM;
    goto fail;
  }
  for (size_t i = 0; i < n; i++) {
    char rid[GB_ID_MAX];
    if (cid >= 0) {
      const char *id = gb_csv_cell(&m, i, cid);
      if (*id) {
        if (strlen(id) >= sizeof rid) {
          rc = gb_err(err, errlen, GB_EFORMAT, "%s:%zu: run_id longer than %zu characters", path,
                      m.line[i], sizeof rid - 1);
          goto fail;
        }
        gb_strlcpy(rid, id, sizeof rid);
      } else {
        path_stem(gb_csv_cell(&m, i, cp), rid, sizeof rid);
      }
    } else {
      gb_strlcpy(rid, names[i], sizeof rid);
    }
    if (!*rid) {
      rc = gb_err(err, errlen, GB_EFORMAT, "%s:%zu: row has neither run_id nor path", path,
                  cid >= 0 ? m.line[i] : m.header_line);
      goto fail;
    }
    if ((rc = gb_truth_read_run(dataset_dir, rid, &set->runs[i], err, errlen))) goto fail;
    set->n_runs = i + 1;
    if (cid >= 0 && cath >= 0)
      gb_strlcpy(set->runs[i].athlete, gb_csv_cell(&m, i, cath), sizeof set->runs[i].athlete);
  }
  set->n_runs = n;
  if ((rc = read_load_flags(dataset_dir, set, err, errlen))) goto fail;
  for (size_t i = 0; i < n_names; i++) free(names[i]);
  free(names);
  gb_csv_free(&m);
  *out = set;
  return GB_OK;
fail:
  for (size_t i = 0; i < n_names; i++) free(names[i]);
  free(names);
  gb_csv_free(&m);
  gb_truth_set_free(set);
  return rc;
}

void gb_truth_set_free(gb_truth_set *s)
{
  if (!s) return;
  for (size_t i = 0; i < s->n_runs; i++) gb_truth_run_clear(&s->runs[i]);
  free(s->runs);
  free(s->load_flags);
  free(s);
}
