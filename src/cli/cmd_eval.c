/* gaitbatch eval OUT TRUTH_DIR: score the reports of a batch against ground truth
 * (DESIGN §11). The metrics are computed by the library (gaitbatch/eval.h) from the
 * per-run reports OUT/runs/<run_id>.h5 and, for load flags, OUT/summary.h5. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_util.h"
#include "commands.h"
#include "gaitbatch/eval.h"
#include "gaitbatch/report.h"
#include "gaitbatch/status.h"

static void usage(FILE *f)
{
  fprintf(f,
          "Usage: gaitbatch eval OUT TRUTH_DIR [--json] [--tolerance-ms MS] [--event-slack-s S] [-v|-q]\n\n"
          "Compares the reports of a batch (OUT/runs/<run_id>.h5, OUT/summary.h5) with the ground\n"
          "truth of a dataset (TRUTH_DIR/manifest.csv, TRUTH_DIR/truth/<run_id>/*.csv,\n"
          "TRUTH_DIR/truth/load_flags.csv; written by 'gaitbatch synth' or scripts/real_truth.py).\n"
          "Metrics whose truth file is absent are listed as skipped. A tibia, foot or thigh sensor\n"
          "reports its own leg's contacts: when the run's truth/run.csv gives sensor_side, its steps\n"
          "are scored against that leg's truth steps only (steps_recall_all_sides: both legs).\n\n"
          "  --json             one JSON object on stdout instead of the table\n"
          "  --tolerance-ms MS  step match window +-MS (default 25)\n"
          "  --event-slack-s S  events match when kinds agree and spans overlap within S (default 10)\n"
          "  -v, --verbose      also print one row per run\n"
          "  -q, --quiet        no warnings\n"
          "  -h, --help         this help\n\n"
          "Table columns: metric, value ('-' when not computable), n (items it was computed\n"
          "over), note (definition or why it was skipped).\n"
          "Exit status: 0 every run with truth had a report; 1 some runs had no report (listed on\n"
          "stderr; the others are scored); 2 usage error; 3 the truth could not be read.\n");
}

/* ---- output ---------------------------------------------------------------- */

static void json_str(FILE *f, const char *s)
{
  fputc('"', f);
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
    else if (c == '\n') fputs("\\n", f);
    else if (c == '\t') fputs("\\t", f);
    else if (c < 0x20) fprintf(f, "\\u%04x", c);
    else fputc(c, f);
  }
  fputc('"', f);
}

static void json_num(FILE *f, double v)
{
  if (isfinite(v)) fprintf(f, "%.10g", v);
  else fputs("null", f);
}

static void json_metrics(FILE *f, const gb_eval_metric *m, size_t n, const char *indent)
{
  fputs("{", f);
  for (size_t i = 0; i < n; i++) {
    fprintf(f, "%s\n%s  ", i ? "," : "", indent);
    json_str(f, m[i].name);
    fputs(": {\"value\": ", f);
    json_num(f, m[i].value);
    fprintf(f, ", \"n\": %ld, \"note\": ", m[i].n);
    json_str(f, m[i].note);
    fputs("}", f);
  }
  fprintf(f, "\n%s}", indent);
}

static void fmt_value(char *buf, size_t len, double v)
{
  if (!isfinite(v)) snprintf(buf, len, "-");
  else if (v == floor(v) && fabs(v) < 1e9) snprintf(buf, len, "%.0f", v);
  else snprintf(buf, len, "%.4f", v);
}

static void table(FILE *f, const gb_eval_metric *m, size_t n)
{
  fprintf(f, "%-36s %12s %8s  %s\n", "metric", "value", "n", "note");
  for (size_t i = 0; i < n; i++) {
    char v[32];
    fmt_value(v, sizeof v, m[i].value);
    fprintf(f, "%-36s %12s %8ld  %s\n", m[i].name, v, m[i].n, m[i].note);
  }
}

static const gb_eval_metric *find(const gb_eval_metric *m, size_t n, const char *name)
{
  for (size_t i = 0; i < n; i++)
    if (strcmp(m[i].name, name) == 0) return &m[i];
  return NULL;
}

/* Per-run rows (-v): the headline metrics of each run. */
static const char *const run_cols[] = {"steps_precision", "steps_recall",      "steps_f1",
                                       "step_timing_median_ms", "cadence_mae_spm",
                                       "cadence_mean_err_spm", "contact_time_run_bias_ms",
                                       "landing_run_accuracy", "trunk_lean_bias_deg",
                                       "flags_recall"};
static const char *const run_heads[] = {"step_P", "step_R", "step_F1", "dt_med_ms", "cad_mae",
                                        "cadmean_err", "ct_bias_ms", "landing", "lean_bias",
                                        "flags_R"};

static void run_table_head(FILE *f)
{
  fprintf(f, "\n%-32s", "run_id");
  for (size_t c = 0; c < sizeof run_heads / sizeof *run_heads; c++) fprintf(f, " %11s", run_heads[c]);
  fputc('\n', f);
}

static void run_table_row(FILE *f, const char *run_id, const gb_eval_metric *m, size_t n)
{
  fprintf(f, "%-32s", run_id);
  for (size_t c = 0; c < sizeof run_cols / sizeof *run_cols; c++) {
    const gb_eval_metric *x = find(m, n, run_cols[c]);
    char v[32];
    fmt_value(v, sizeof v, x ? x->value : NAN);
    fprintf(f, " %11s", v);
  }
  fputc('\n', f);
}

/* ---- evaluation ------------------------------------------------------------ */

typedef struct run_out {
  const char *run_id;
  int have_report;
  gb_eval_metric *m;
  size_t n;
} run_out;

/* The batch names reports after the run id with every character outside
 * [A-Za-z0-9._-] replaced by '_' (src/batch/runid.c); truth folders keep the id verbatim. */
static void report_name(const char *run_id, char *out, size_t len)
{
  size_t i = 0;
  for (; run_id[i] && i + 1 < len; i++) {
    unsigned char c = (unsigned char)run_id[i];
    int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '.' || c == '_' || c == '-';
    out[i] = ok ? (char)c : '_';
  }
  out[i] = '\0';
  if (out[0] == '.') out[0] = '_';
}

static int file_exists(const char *p)
{
  struct stat st;
  return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

int gb_cmd_eval(int argc, char **argv)
{
  static const struct option longopts[] = {{"json", no_argument, NULL, 'j'},
                                           {"tolerance-ms", required_argument, NULL, 't'},
                                           {"event-slack-s", required_argument, NULL, 'e'},
                                           {"verbose", no_argument, NULL, 'v'},
                                           {"quiet", no_argument, NULL, 'q'},
                                           {"help", no_argument, NULL, 'h'},
                                           {NULL, 0, NULL, 0}};
  gb_eval_params params;
  gb_eval_params_defaults(&params);
  int json = 0, c;
  double v;
  optind = 1;
  while ((c = getopt_long(argc, argv, "vqh", longopts, NULL)) != -1) {
    switch (c) {
    case 'j': json = 1; break;
    case 't':
      if (gb_cli_parse_double("--tolerance-ms", optarg, 0.001, 10000, &v)) return GB_EXIT_USAGE;
      params.tolerance_s = v / 1000.0;
      break;
    case 'e':
      if (gb_cli_parse_double("--event-slack-s", optarg, 0, 1e6, &v)) return GB_EXIT_USAGE;
      params.event_slack_s = v;
      break;
    case 'v': gb_cli_verbosity = 2; break;
    case 'q': gb_cli_verbosity = 0; break;
    case 'h': usage(stdout); return GB_EXIT_OK;
    default: usage(stderr); return GB_EXIT_USAGE;
    }
  }
  if (argc - optind != 2) {
    gb_cli_error("eval: expected OUT and TRUTH_DIR, got %d argument(s)", argc - optind);
    usage(stderr);
    return GB_EXIT_USAGE;
  }
  const char *out_dir = argv[optind], *truth_dir = argv[optind + 1];
  char err[1024] = "";
  gb_truth_set *truth = NULL;
  int rc = gb_truth_read_dir(truth_dir, &truth, err, sizeof err);
  if (rc) {
    gb_cli_error("%s", err[0] ? err : gb_strerror(rc));
    return GB_EXIT_NOTHING;
  }
  if (truth->n_runs == 0) {
    gb_cli_error("%s/manifest.csv: no runs", truth_dir);
    gb_truth_set_free(truth);
    return GB_EXIT_NOTHING;
  }

  int exit_code = GB_EXIT_NOTHING;
  gb_eval_tally pooled;
  gb_eval_tally_init(&pooled);
  run_out *runs = calloc(truth->n_runs, sizeof *runs);
  gb_eval_metric *m = NULL;
  size_t nm = 0, n_missing = 0, n_scored = 0;
  char path[8192];
  if (!runs) goto oom;
  for (size_t i = 0; i < truth->n_runs; i++) {
    const gb_truth_run *tr = &truth->runs[i];
    runs[i].run_id = tr->run_id;
    char name[GB_ID_MAX];
    report_name(tr->run_id, name, sizeof name);
    snprintf(path, sizeof path, "%s/runs/%s.h5", out_dir, name);
    if (!file_exists(path)) {
      gb_cli_error("%s: no report for run %s", path, tr->run_id);
      n_missing++;
      continue;
    }
    gb_result *res = NULL;
    gb_flag *flags = NULL;
    size_t nf = 0;
    err[0] = '\0';
    rc = gb_report_read_run(path, NULL, NULL, &res, &flags, &nf, err, sizeof err);
    if (rc) {
      gb_cli_error("%s", err[0] ? err : gb_strerror(rc));
      n_missing++;
      gb_result_free(res);
      free(flags);
      continue;
    }
    gb_eval_tally one;
    gb_eval_tally_init(&one);
    rc = gb_eval_run(&params, tr, res, flags, nf, &one);
    gb_result_free(res);
    free(flags);
    if (!rc) rc = gb_eval_tally_merge(&pooled, &one);
    if (!rc) rc = gb_eval_metrics(&one, &params, &runs[i].m, &runs[i].n);
    gb_eval_tally_clear(&one);
    if (rc) goto fail;
    runs[i].have_report = 1;
    n_scored++;
    gb_cli_info("%s: scored", tr->run_id);
  }

  /* load flags: the batch's summary against truth/load_flags.csv */
  const char *load_note = NULL;
  snprintf(path, sizeof path, "%s/summary.h5", out_dir);
  if (truth->have_load_flags && file_exists(path)) {
    gb_flag_row *rows = NULL;
    size_t nr = 0;
    rc = gb_report_read_summary_flags(path, &rows, &nr, err, sizeof err);
    if (rc) {
      gb_cli_error("%s", err[0] ? err : gb_strerror(rc));
      n_missing++;
    } else {
      rc = gb_eval_load_flags(truth->load_flags, truth->n_load_flags, rows, nr, &pooled);
      free(rows);
      if (rc) goto fail;
    }
  } else if (truth->have_load_flags) {
    load_note = "skipped: no OUT/summary.h5";
  }

  rc = gb_eval_metrics(&pooled, &params, &m, &nm);
  if (rc) goto fail;
  if (load_note)
    for (size_t i = 0; i < nm; i++)
      if (strncmp(m[i].name, "load_flags_", 11) == 0)
        snprintf(m[i].note, sizeof m[i].note, "%s", load_note);

  if (json) {
    printf("{\n  \"tolerance_ms\": ");
    json_num(stdout, params.tolerance_s * 1000.0);
    printf(",\n  \"event_slack_s\": ");
    json_num(stdout, params.event_slack_s);
    printf(",\n  \"runs_with_truth\": %zu,\n  \"runs_scored\": %zu,\n  \"runs_missing\": [",
           truth->n_runs, n_scored);
    int first = 1;
    for (size_t i = 0; i < truth->n_runs; i++)
      if (!runs[i].have_report) {
        fputs(first ? "" : ", ", stdout);
        json_str(stdout, runs[i].run_id);
        first = 0;
      }
    printf("],\n  \"metrics\": ");
    json_metrics(stdout, m, nm, "  ");
    printf(",\n  \"runs\": [");
    first = 1;
    for (size_t i = 0; i < truth->n_runs; i++) {
      if (!runs[i].have_report) continue;
      printf("%s\n    {\"run_id\": ", first ? "" : ",");
      json_str(stdout, runs[i].run_id);
      printf(", \"metrics\": ");
      json_metrics(stdout, runs[i].m, runs[i].n, "    ");
      printf("}");
      first = 0;
    }
    printf("%s]\n}\n", first ? "" : "\n  ");
  } else {
    printf("# gaitbatch eval: %zu of %zu runs scored, step tolerance +-%g ms, event slack %g s\n",
           n_scored, truth->n_runs, params.tolerance_s * 1000.0, params.event_slack_s);
    table(stdout, m, nm);
    if (gb_cli_verbosity >= 2) {
      run_table_head(stdout);
      for (size_t i = 0; i < truth->n_runs; i++)
        if (runs[i].have_report) run_table_row(stdout, runs[i].run_id, runs[i].m, runs[i].n);
    }
  }
  if (fflush(stdout) != 0) {
    gb_cli_error("writing to stdout failed");
    exit_code = GB_EXIT_NOTHING;
  } else {
    exit_code = n_missing ? GB_EXIT_SOME_FAILED : GB_EXIT_OK;
    if (n_missing) gb_cli_error("%zu run(s) without a readable report (listed above)", n_missing);
  }
  goto done;
oom:
  rc = GB_ENOMEM;
fail:
  gb_cli_error("eval: %s", gb_strerror(rc));
  exit_code = GB_EXIT_NOTHING;
done:
  if (runs)
    for (size_t i = 0; i < truth->n_runs; i++) free(runs[i].m);
  free(runs);
  free(m);
  gb_eval_tally_clear(&pooled);
  gb_truth_set_free(truth);
  return exit_code;
}
