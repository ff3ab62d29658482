/* gaitbatch batch DATASET -o OUT: the nightly job. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_util.h"
#include "commands.h"
#include "gaitbatch/batch.h"
#include "gaitbatch/status.h"
#include "meta_opts.h"

static void usage(FILE *f)
{
  fprintf(f,
          "Usage: gaitbatch batch DATASET -o OUT [options]\n\n"
          "Analyses every recording listed in DATASET/manifest.csv (or, without a manifest,\n"
          "every .wav/.flac/.csv/... below DATASET), re-analysing only new or changed ones,\n"
          "rebuilds each athlete's load ramp and writes OUT/summary.h5 atomically.\n\n"
          "Options:\n"
          "  -o, --output OUT          output folder (created; locked while the batch runs)\n"
          "  -j, --jobs N              worker threads (default: number of cores)\n"
          "  -c, --config FILE         INI configuration (default: DATASET/gaitbatch.ini if present,\n"
          "                            else the built-in defaults; see 'gaitbatch config --dump')\n"
          "  --force                   re-analyse everything\n"
          "  --summary-only            analyse nothing; rebuild summary.h5 from the reports\n"
          "  --shard K/N               analyse only jobs K, K+N, ... (0-based; no summary)\n"
          "  --progress auto|always|never  progress bar on stderr (auto: only on a TTY)\n"
          "  --log-json FILE           JSON Lines log of every run ('-' = stderr)\n"
          "Defaults for recordings without a manifest row:\n"
          GB_META_HELP
          "  -q, --quiet / -v, --verbose\n"
          "  -h, --help\n\n"
          "Exit status: 0 all inputs fine; 1 some inputs failed (the rest is written);\n"
          "             2 usage; 3 nothing written (e.g. OUT locked by another batch).\n");
}

typedef struct ctx {
  int progress;
  FILE *jsonl;
  int drew;
} ctx;

static void on_progress(void *user, size_t done, size_t total)
{
  ctx *c = user;
  if (!c->progress || total == 0) return;
  int width = 30, fill = (int)(width * done / total);
  fprintf(stderr, "\r[%.*s%*s] %zu/%zu", fill, "##############################", width - fill, "",
          done, total);
  if (done == total) fputc('\n', stderr);
  fflush(stderr);
  c->drew = 1;
}

static void on_log(void *user, gb_log_level level, const char *run_id, const char *event,
                   const char *message)
{
  ctx *c = user;
  if (c->jsonl) {
    char ts[32];
    gb_cli_created_iso(ts);
    static const char *const lv[] = {"error", "warn", "info"};
    fprintf(c->jsonl, "{\"time\":\"%s\",\"level\":\"%s\",\"run_id\":", ts, lv[level]);
    gb_cli_json_string(c->jsonl, run_id);
    fputs(",\"event\":", c->jsonl);
    gb_cli_json_string(c->jsonl, event);
    fputs(",\"message\":", c->jsonl);
    gb_cli_json_string(c->jsonl, message);
    fputs("}\n", c->jsonl);
    fflush(c->jsonl);
  }
  if (c->progress && c->drew && level <= GB_LOG_WARN) fputc('\n', stderr);
  if (level == GB_LOG_ERROR)
    gb_cli_error("%s: %s", run_id, message);
  else if (level == GB_LOG_WARN)
    gb_cli_warn("%s: %s", run_id, message);
  else
    gb_cli_info("%s: %s", run_id, message);
}

int gb_cmd_batch(int argc, char **argv)
{
  enum { OPT_FORCE = OPT_META_LAST + 1, OPT_SUMMARY_ONLY, OPT_SHARD, OPT_PROGRESS, OPT_LOG_JSON };
  static const struct option longopts[] = {
    {"output", required_argument, NULL, 'o'}, {"jobs", required_argument, NULL, 'j'},
    {"config", required_argument, NULL, 'c'}, {"force", no_argument, NULL, OPT_FORCE},
    {"summary-only", no_argument, NULL, OPT_SUMMARY_ONLY},
    {"shard", required_argument, NULL, OPT_SHARD},
    {"progress", required_argument, NULL, OPT_PROGRESS},
    {"log-json", required_argument, NULL, OPT_LOG_JSON},
    {"quiet", no_argument, NULL, 'q'}, {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'}, GB_META_LONG_OPTIONS, {NULL, 0, NULL, 0}};
  gb_batch_opts o;
  gb_batch_opts_init(&o);
  const char *config = NULL, *progress = "auto", *log_json = NULL;
  optind = 1;
  int c;
  long v;
  while ((c = getopt_long(argc, argv, "o:j:c:qvh", longopts, NULL)) != -1) {
    switch (c) {
    case 'o': o.out = optarg; break;
    case 'j':
      if (gb_cli_parse_int("-j", optarg, 1, 1024, &v) != 0) return GB_EXIT_USAGE;
      o.jobs = (int)v;
      break;
    case 'c': config = optarg; break;
    case OPT_FORCE: o.force = 1; break;
    case OPT_SUMMARY_ONLY: o.summary_only = 1; break;
    case OPT_SHARD: {
      int k, n, used = 0;
      if (sscanf(optarg, "%d/%d%n", &k, &n, &used) != 2 || optarg[used] || n < 1 || k < 0 || k >= n) {
        gb_cli_error("--shard: expected K/N with 0 <= K < N, got '%s'", optarg);
        return GB_EXIT_USAGE;
      }
      o.shard_index = k;
      o.shard_count = n;
      break;
    }
    case OPT_PROGRESS: progress = optarg; break;
    case OPT_LOG_JSON: log_json = optarg; break;
    case 'q': gb_cli_verbosity = 0; break;
    case 'v': gb_cli_verbosity = 2; break;
    case 'h': usage(stdout); return GB_EXIT_OK;
    default: {
      int r = gb_cli_meta_opt(&o.defaults, c, optarg);
      if (r == 1) break;
      if (r == 0) usage(stderr);
      return GB_EXIT_USAGE;
    }
    }
  }
  if (argc - optind != 1 || !o.out) {
    gb_cli_error(argc - optind != 1 ? "batch: expected exactly one DATASET folder" : "batch: -o OUT is required");
    usage(stderr);
    return GB_EXIT_USAGE;
  }
  o.dataset = argv[optind];
  ctx cx = {0, NULL, 0};
  if (strcmp(progress, "always") == 0)
    cx.progress = 1;
  else if (strcmp(progress, "auto") == 0)
    cx.progress = isatty(STDERR_FILENO) && gb_cli_verbosity > 0;
  else if (strcmp(progress, "never") != 0) {
    gb_cli_error("--progress: expected auto, always or never, got '%s'", progress);
    return GB_EXIT_USAGE;
  }
  /* -c FILE, else the dataset's own DATASET/gaitbatch.ini, else the defaults */
  char dataset_ini[4200];
  snprintf(dataset_ini, sizeof dataset_ini, "%s/gaitbatch.ini", o.dataset);
  if (!config && access(dataset_ini, R_OK) == 0) {
    config = dataset_ini;
    gb_cli_info("using the dataset's configuration %s", dataset_ini);
  }
  gb_config cfg;
  if (gb_cli_load_config(&cfg, config) != 0) return GB_EXIT_USAGE;
  o.cfg = &cfg;
  if (log_json) {
    cx.jsonl = strcmp(log_json, "-") == 0 ? stderr : fopen(log_json, "a");
    if (!cx.jsonl) {
      gb_cli_error("--log-json: cannot open '%s'", log_json);
      return GB_EXIT_USAGE;
    }
  }
  char created[32];
  gb_cli_created_iso(created);
  o.created_iso = created;
  o.on_progress = on_progress;
  o.on_log = on_log;
  o.user = &cx;
  if (gb_cli_mkdirs(o.out) != 0) {
    gb_cli_error("%s: cannot create output folder", o.out);
    return GB_EXIT_NOTHING;
  }
  gb_batch_stats stats;
  char err[1024] = "";
  int st = gb_batch_run(&o, &stats, err, sizeof err);
  if (cx.jsonl && cx.jsonl != stderr) fclose(cx.jsonl);
  if (st != GB_OK) {
    gb_cli_error("%s", err[0] ? err : gb_strerror(st));
    return GB_EXIT_NOTHING;
  }
  printf("jobs %zu  analysed %zu  reused %zu  failed %zu  time %.3f s\n", stats.n_jobs,
         stats.n_analysed, stats.n_reused, stats.n_failed, stats.wall_s);
  if (stats.summary_written) printf("summary %s/summary.h5\n", o.out);
  fflush(stdout);
  if (stats.n_jobs > 0 && stats.n_failed == stats.n_jobs) return GB_EXIT_SOME_FAILED;
  return stats.n_failed ? GB_EXIT_SOME_FAILED : GB_EXIT_OK;
}
