/* gaitbatch bench [FILES]: throughput and peak memory per stage, with the decode
 * (or parse) floor of the same file measured in the same run, so the ratio is
 * side by side. Each measurement runs in a forked child so that peak RSS is the
 * pipeline's own (wait4 rusage), not the benchmark process's history. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_cases.h"
#include "cli_util.h"
#include "heap_warm.h"
#include "commands.h"
#include "gaitbatch/batch.h"
#include "gaitbatch/risk.h"
#include "gaitbatch/source.h"
#include "gaitbatch/status.h"

enum { BLOCK = 4096 };

typedef struct bench_row {
  double frames;
  double rate_hz;
  double floor_s;      /* decode/parse only */
  double naive_s;      /* CSV only: fgets + strtod of every field, the textbook parser */
  double read_s, preprocess_s, cadence_s, contacts_s, posture_s, finish_s, flags_s, report_s;
  double total_s;      /* whole pipeline, wall */
  double peak_rss_mib; /* of the pipeline child */
  double floor_rss_mib;
  int is_csv;
  int ok;
  char err[256];
} bench_row;

/* CPU time of the measuring child (user + system): the per-core cost, which stays
 * meaningful when other processes share the cores (wall time then includes the
 * time spent waiting for a core). The analyzer's stage timers are CPU times too. */
static double mono(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Wall clock for the per-block read timer: CLOCK_PROCESS_CPUTIME_ID is a system
 * call (~1.7 us on the project VM; two per 4096-frame block were ~0.8 ns per
 * frame, 2 % of the FLAC floor), CLOCK_MONOTONIC a vDSO read (~40 ns). The
 * pipeline scales the sum by its CPU/wall ratio (see run_pipeline). */
static double wall(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int open_src(const gb_run_request *req, gb_source **src, char *err, size_t errlen)
{
  gb_source_opts so;
  gb_source_opts_init(&so);
  so.units = req->meta.units;
  so.units_set = req->units_set;
  so.full_scale_g = req->meta.full_scale_g;
  so.rate_hz = req->rate_hz;
  so.cols = req->cols[0] ? req->cols : NULL;
  int st = gb_source_open(req->meta.path, &so, src);
  if (st != GB_OK) snprintf(err, errlen, "%s", *src ? gb_source_errmsg(*src) : gb_strerror(st));
  return st;
}

/* The textbook CSV reader the issue compares against: fgets each line, strtod
 * every field of every data row (comment and blank lines and the header skipped).
 * Returns the wall time, or 0 when the file cannot be read. */
static double naive_csv_s(const char *path)
{
  double t0 = mono();
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  char line[4096];
  int header = 1;
  char delim = ',';
  volatile double sink = 0;
  while (fgets(line, sizeof line, f)) {
    if (line[0] == '#' || line[0] == '\n' || line[0] == '\r') continue;
    if (header) {
      header = 0;
      if (strchr(line, '\t')) delim = '\t';
      else if (strchr(line, ';') && !strchr(line, ',')) delim = ';';
      continue;
    }
    double acc = 0;
    for (char *p = line;;) {
      char *end;
      acc += strtod(p, &end);
      char *d = strchr(end, delim);
      if (!d) break;
      p = d + 1;
    }
    sink += acc;
  }
  fclose(f);
  (void)sink;
  return mono() - t0;
}

/* The floor: read every frame, nothing else. */
static void run_floor(const gb_run_request *req, bench_row *r)
{
  gb_source *src = NULL;
  double t0 = mono();
  if (open_src(req, &src, r->err, sizeof r->err) != GB_OK) {
    gb_source_free(src);
    return;
  }
  const gb_source_info *info = gb_source_get_info(src);
  float *buf = malloc(sizeof(float) * BLOCK * (size_t)info->channels);
  size_t got;
  double frames = 0;
  while (buf && gb_source_read(src, buf, BLOCK, &got) == GB_OK && got) frames += (double)got;
  r->floor_s = mono() - t0;
  r->frames = frames;
  r->rate_hz = info->rate_hz;
  r->is_csv = info->format && strcmp(info->format, "csv") == 0;
  free(buf);
  gb_source_free(src);
  if (r->is_csv) r->naive_s = naive_csv_s(req->meta.path);
  r->ok = 1;
}

/* The whole pipeline with a timer around each stage. */
static void run_pipeline(const gb_config *cfg, const gb_run_request *req, const char *report,
                         bench_row *r)
{
  double t_start = mono(), w_start = wall();
  /* the process set-up of `gaitbatch analyze` (its cost counted): the child
     measures the pipeline as the shipped command runs it */
  gb_cli_heap_warm(GB_CLI_HEAP_WARM_BYTES);
  gb_source *src = NULL;
  if (open_src(req, &src, r->err, sizeof r->err) != GB_OK) {
    gb_source_free(src);
    return;
  }
  const gb_source_info *info = gb_source_get_info(src);
  const double rate_hz = info->rate_hz; /* info dies with the source */
  gb_analyzer_input in = {info->rate_hz, info->channels, req->meta.location,
                          req->meta.full_scale_g > 0 ? req->meta.full_scale_g : info->full_scale_g};
  gb_analyzer *an = NULL;
  if (gb_analyzer_create(&cfg->analysis, &in, &an) != GB_OK) {
    snprintf(r->err, sizeof r->err, "%s", an ? gb_analyzer_errmsg(an) : "analyzer");
    gb_analyzer_free(an);
    gb_source_free(src);
    return;
  }
  float *buf = malloc(sizeof(float) * BLOCK * (size_t)info->channels);
  size_t got;
  double frames = 0, t_read = 0;
  double w0 = wall();
  for (;;) {
    int st = gb_source_read(src, buf, BLOCK, &got);
    double w1 = wall();
    t_read += w1 - w0;
    if (st != GB_OK || got == 0) break;
    frames += (double)got;
    if (gb_analyzer_push(an, buf, got) != GB_OK) break;
    w0 = wall();
  }
  /* read time to CPU time: this process's CPU/wall ratio over the streaming part */
  {
    double cpu = mono() - t_start, w = wall() - w_start;
    if (w > 0 && cpu > 0 && cpu < w) t_read *= cpu / w;
  }
  free(buf);
  gb_result *res = NULL;
  double t0 = mono();
  int st = gb_analyzer_finish(an, &res);
  double t_finish_wall = mono() - t0;
  gb_stage_times times;
  gb_analyzer_stage_times(an, &times);
  gb_analyzer_free(an);
  gb_source_free(src);
  if (st != GB_OK) {
    snprintf(r->err, sizeof r->err, "analysis failed: %s", gb_strerror(st));
    return;
  }
  t0 = mono();
  gb_flag *flags = NULL;
  size_t nf = 0;
  gb_risk_run_flags(cfg, req->meta.location, res, &flags, &nf);
  r->flags_s = mono() - t0;
  t0 = mono();
  gb_run_meta meta = req->meta;
  meta.sample_rate_hz = rate_hz;
  gb_provenance prov;
  memset(&prov, 0, sizeof prov);
  if (gb_report_write_run(report, &meta, &prov, res, flags, nf, r->err, sizeof r->err) != GB_OK) {
    gb_result_free(res);
    free(flags);
    return;
  }
  r->report_s = mono() - t0;
  gb_result_free(res);
  free(flags);
  r->read_s = t_read;
  r->preprocess_s = times.preprocess_s;
  r->cadence_s = times.cadence_s;
  r->contacts_s = times.contacts_s;
  r->posture_s = times.posture_s;
  r->finish_s = times.finish_s > 0 ? times.finish_s : t_finish_wall;
  r->total_s = mono() - t_start;
  r->frames = frames;
  r->rate_hz = rate_hz;
  r->ok = 1;
}

/* Runs fn in a child; copies its row back through a pipe; adds the child's peak RSS. */
static int in_child(int floor_only, const gb_config *cfg, const gb_run_request *req,
                    const char *report, bench_row *out)
{
  int fds[2];
  if (pipe(fds) != 0) return -1;
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    close(fds[0]);
    bench_row r;
    memset(&r, 0, sizeof r);
    if (floor_only)
      run_floor(req, &r);
    else
      run_pipeline(cfg, req, report, &r);
    ssize_t w = write(fds[1], &r, sizeof r);
    _exit(w == (ssize_t)sizeof r ? 0 : 1);
  }
  close(fds[1]);
  bench_row r;
  memset(&r, 0, sizeof r);
  ssize_t n = read(fds[0], &r, sizeof r);
  close(fds[0]);
  int status;
  struct rusage ru;
  if (wait4(pid, &status, 0, &ru) < 0 || n != (ssize_t)sizeof r) {
    snprintf(out->err, sizeof out->err, "benchmark child failed");
    return -1;
  }
  double rss = (double)ru.ru_maxrss / 1024.0; /* KiB -> MiB */
  if (floor_only) {
    out->floor_s = r.floor_s;
    out->naive_s = r.naive_s;
    out->is_csv = r.is_csv;
    out->floor_rss_mib = rss;
    out->frames = r.frames;
    out->rate_hz = r.rate_hz;
    out->ok = r.ok;
    if (!r.ok) memcpy(out->err, r.err, sizeof out->err);
  } else {
    double floor_s = out->floor_s, floor_rss = out->floor_rss_mib, naive_s = out->naive_s;
    int is_csv = out->is_csv;
    *out = r;
    out->floor_s = floor_s;
    out->naive_s = naive_s;
    out->is_csv = is_csv;
    out->floor_rss_mib = floor_rss;
    out->peak_rss_mib = rss;
  }
  return 0;
}

static int cmp_d(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, int n)
{
  qsort(v, (size_t)n, sizeof *v, cmp_d);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static void usage(FILE *f)
{
  fprintf(f,
          "Usage: gaitbatch bench [FILES] [options]\n\n"
          "Per stage (read/decode, preprocess, FFT cadence, contacts and features, finish,\n"
          "flags, report write): time, frames/s and share; end-to-end frames/s; peak RSS; and\n"
          "the decode-only (or parse-only) floor of the same file, measured in the same run.\n"
          "Without FILES it generates the standard cases (1 h at 500 Hz and 24 h at 100 Hz, in\n"
          "FLAC, WAV and CSV) into a scratch folder first.\n\n"
          "Options:\n"
          "  --repeat N        repetitions per file; medians reported (default 3)\n"
          "  --quick           standard cases of 10 min instead of 1 h / 24 h\n"
          "  --keep DIR        generate the standard cases into DIR and keep them\n"
          "  --json            one JSON object per file on stdout\n"
          GB_BENCH_META_HELP
          "  -h, --help\n");
}

int gb_cmd_bench(int argc, char **argv)
{
  enum { OPT_REPEAT = 2000, OPT_QUICK, OPT_KEEP, OPT_JSON, OPT_LOC, OPT_FS };
  static const struct option longopts[] = {
    {"repeat", required_argument, NULL, OPT_REPEAT}, {"quick", no_argument, NULL, OPT_QUICK},
    {"keep", required_argument, NULL, OPT_KEEP},     {"json", no_argument, NULL, OPT_JSON},
    {"location", required_argument, NULL, OPT_LOC},  {"full-scale", required_argument, NULL, OPT_FS},
    {"help", no_argument, NULL, 'h'},                {NULL, 0, NULL, 0}};
  long repeat = 3;
  int quick = 0, json = 0;
  const char *keep = NULL;
  gb_run_request base;
  gb_run_request_init(&base);
  base.meta.location = GB_LOC_SACRUM;
  double d;
  optind = 1;
  int c;
  while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    switch (c) {
    case OPT_REPEAT:
      if (gb_cli_parse_int("--repeat", optarg, 1, 100, &repeat) != 0) return GB_EXIT_USAGE;
      break;
    case OPT_QUICK: quick = 1; break;
    case OPT_KEEP: keep = optarg; break;
    case OPT_JSON: json = 1; break;
    case OPT_LOC:
      if (gb_location_parse(optarg, &base.meta.location) != GB_OK) {
        gb_cli_error("--location: unknown site '%s'", optarg);
        return GB_EXIT_USAGE;
      }
      break;
    case OPT_FS:
      if (gb_cli_parse_double("--full-scale", optarg, 0.5, 1000, &d) != 0) return GB_EXIT_USAGE;
      base.meta.full_scale_g = d;
      break;
    case 'h': usage(stdout); return GB_EXIT_OK;
    default: usage(stderr); return GB_EXIT_USAGE;
    }
  }
  gb_config cfg;
  gb_config_defaults(&cfg);
  char scratch[4096];
  const char *tmp = getenv("TMPDIR");
  snprintf(scratch, sizeof scratch, "%s/gaitbatch-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(scratch)) {
    gb_cli_error("cannot create a scratch folder: %s", strerror(errno));
    return GB_EXIT_NOTHING;
  }
  char **files = argv + optind;
  int nfiles = argc - optind;
  gb_bench_case *cases = NULL;
  if (nfiles == 0) {
    const char *dir = keep ? keep : scratch;
    if (gb_cli_mkdirs(dir) != 0) {
      gb_cli_error("%s: cannot create", dir);
      return GB_EXIT_NOTHING;
    }
    if (gb_bench_make_cases(dir, quick, &cases, &nfiles) != 0) return GB_EXIT_NOTHING;
  }
  if (!json)
    printf("%-26s %10s %6s | %8s %7s | %7s %7s %7s %7s %7s %7s %7s | %8s %7s %6s %7s\n", "file",
           "frames", "Hz", "floor_s", "Mfps", "read", "prep", "fft", "contact", "finish", "flags",
           "report", "total_s", "Mfps", "ratio", "RSS_MiB");
  int failed = 0;
  for (int i = 0; i < nfiles; i++) {
    gb_run_request req = base;
    const char *path = cases ? cases[i].path : files[i];
    snprintf(req.meta.path, sizeof req.meta.path, "%s", path);
    if (cases) {
      req.meta.location = cases[i].location;
      req.meta.full_scale_g = cases[i].full_scale_g;
    }
    char report[4200];
    snprintf(report, sizeof report, "%s/bench-report.h5", scratch);
    bench_row rows[100];
    double floor_v[100], total_v[100], naive_v[100];
    bench_row med;
    memset(&med, 0, sizeof med);
    int ok = 1;
    for (int k = 0; k < repeat && ok; k++) {
      memset(&rows[k], 0, sizeof rows[k]);
      if (in_child(1, &cfg, &req, report, &rows[k]) != 0 || !rows[k].ok ||
          in_child(0, &cfg, &req, report, &rows[k]) != 0 || !rows[k].ok) {
        gb_cli_error("%s: %s", path, rows[k].err[0] ? rows[k].err : "failed");
        ok = 0;
        break;
      }
      floor_v[k] = rows[k].floor_s;
      total_v[k] = rows[k].total_s;
      naive_v[k] = rows[k].naive_s;
    }
    if (!ok) {
      failed++;
      continue;
    }
    /* the row whose total is the median, with the floor's median beside it */
    double mt = median(total_v, (int)repeat), mf = median(floor_v, (int)repeat);
    double mn = median(naive_v, (int)repeat);
    int best = 0;
    for (int k = 1; k < repeat; k++)
      if (fabs(rows[k].total_s - mt) < fabs(rows[best].total_s - mt)) best = k;
    med = rows[best];
    med.floor_s = mf;
    med.naive_s = mn;
    double peak = 0, peak_floor = 0;
    for (int k = 0; k < repeat; k++) {
      if (rows[k].peak_rss_mib > peak) peak = rows[k].peak_rss_mib;
      if (rows[k].floor_rss_mib > peak_floor) peak_floor = rows[k].floor_rss_mib;
    }
    double fps = med.frames / med.total_s, floor_fps = med.frames / med.floor_s;
    const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    if (json) {
      printf("{\"file\":");
      gb_cli_json_string(stdout, path);
      printf(",\"frames\":%.0f,\"rate_hz\":%g,\"repeat\":%ld,\"floor_s\":%.6f,\"floor_fps\":%.0f,"
             "\"stages_s\":{\"read\":%.6f,\"preprocess\":%.6f,\"cadence\":%.6f,\"contacts\":%.6f,"
             "\"posture\":%.6f,\"finish\":%.6f,\"flags\":%.6f,\"report\":%.6f},"
             "\"total_s\":%.6f,\"fps\":%.0f,\"ratio_to_floor\":%.4f,\"peak_rss_mib\":%.1f,"
             "\"floor_rss_mib\":%.1f",
             med.frames, med.rate_hz, repeat, med.floor_s, floor_fps, med.read_s, med.preprocess_s,
             med.cadence_s, med.contacts_s, med.posture_s, med.finish_s, med.flags_s, med.report_s,
             med.total_s, fps, fps / floor_fps, peak, peak_floor);
      if (med.is_csv && med.naive_s > 0)
        printf(",\"naive_csv_s\":%.6f,\"parser_speedup\":%.3f", med.naive_s, med.naive_s / med.floor_s);
      printf("}\n");
    } else {
      printf("%-26.26s %10.0f %6g | %8.3f %7.1f | %7.3f %7.3f %7.3f %7.3f %7.3f %7.3f %7.3f | %8.3f "
             "%7.1f %5.0f%% %7.1f\n",
             name, med.frames, med.rate_hz, med.floor_s, floor_fps / 1e6, med.read_s,
             med.preprocess_s, med.cadence_s, med.contacts_s + med.posture_s, med.finish_s,
             med.flags_s, med.report_s, med.total_s, fps / 1e6, 100 * fps / floor_fps, peak);
      if (med.is_csv && med.naive_s > 0)
        printf("%-26s   CSV reader %.1f M rows/s vs fgets+strtod %.1f M rows/s: %.2fx\n", "",
               med.frames / med.floor_s / 1e6, med.frames / med.naive_s / 1e6, med.naive_s / med.floor_s);
    }
    fflush(stdout);
  }
  if (!json)
    printf("(CPU times in s, medians of %ld; Mfps = million frames/s; ratio = end-to-end / floor "
           "throughput; RSS = peak of the pipeline process)\n", repeat);
  unlink(strcat(scratch, "/bench-report.h5"));
  *strrchr(scratch, '/') = '\0';
  if (!keep && cases) gb_bench_remove_cases(cases, nfiles);
  rmdir(scratch);
  gb_bench_free_cases(cases, nfiles);
  return failed ? (failed == nfiles ? GB_EXIT_NOTHING : GB_EXIT_SOME_FAILED) : GB_EXIT_OK;
}
