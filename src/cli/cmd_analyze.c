/* gaitbatch analyze FILE... -o OUT: one report per recording, a summary line each. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_util.h"
#include "commands.h"
#include "gaitbatch/batch.h"
#include "gaitbatch/status.h"
#include "meta_opts.h"
#include "print_summary.h"

static void usage(FILE *f)
{
  fprintf(f,
          "Usage: gaitbatch analyze FILE... -o OUT [options]\n\n"
          "Analyses each recording and writes OUT/runs/<run_id>.h5; prints one summary line\n"
          "per recording on stdout (a table, or JSON Lines with --json).\n\n"
          "Options:\n"
          "  -o, --output OUT  output folder (created)\n"
          "  -c, --config FILE INI configuration (see 'gaitbatch config --dump')\n"
          "  --run-id ID       run id (single FILE only; default: the file stem)\n"
          "  --json            JSON Lines on stdout\n"
          GB_META_HELP
          "  -q, --quiet / -v, --verbose\n"
          "  -h, --help\n\n"
          "Exit status: 0 all analysed; 1 some failed; 2 usage; 3 nothing written.\n");
}

int gb_cmd_analyze(int argc, char **argv)
{
  enum { OPT_RUN_ID = OPT_META_LAST + 1, OPT_JSON };
  static const struct option longopts[] = {
    {"output", required_argument, NULL, 'o'}, {"config", required_argument, NULL, 'c'},
    {"run-id", required_argument, NULL, OPT_RUN_ID}, {"json", no_argument, NULL, OPT_JSON},
    {"quiet", no_argument, NULL, 'q'}, {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'}, GB_META_LONG_OPTIONS, {NULL, 0, NULL, 0}};
  const char *out = NULL, *config = NULL, *run_id = NULL;
  int json = 0;
  gb_run_request defaults;
  gb_run_request_init(&defaults);
  optind = 1;
  int c;
  while ((c = getopt_long(argc, argv, "o:c:qvh", longopts, NULL)) != -1) {
    switch (c) {
    case 'o': out = optarg; break;
    case 'c': config = optarg; break;
    case OPT_RUN_ID: run_id = optarg; break;
    case OPT_JSON: json = 1; break;
    case 'q': gb_cli_verbosity = 0; break;
    case 'v': gb_cli_verbosity = 2; break;
    case 'h': usage(stdout); return GB_EXIT_OK;
    default: {
      int r = gb_cli_meta_opt(&defaults, c, optarg);
      if (r == 1) break;
      if (r == 0) usage(stderr);
      return GB_EXIT_USAGE;
    }
    }
  }
  int nfiles = argc - optind;
  if (nfiles <= 0 || !out) {
    gb_cli_error(nfiles <= 0 ? "analyze: no input FILE given" : "analyze: -o OUT is required");
    usage(stderr);
    return GB_EXIT_USAGE;
  }
  if (run_id && nfiles != 1) {
    gb_cli_error("--run-id needs exactly one FILE");
    return GB_EXIT_USAGE;
  }
  gb_config cfg;
  if (gb_cli_load_config(&cfg, config) != 0) return GB_EXIT_USAGE;

  char runs_dir[4200];
  snprintf(runs_dir, sizeof runs_dir, "%s/runs", out);
  if (gb_cli_mkdirs(runs_dir) != 0) {
    gb_cli_error("%s: cannot create output folder", runs_dir);
    return GB_EXIT_NOTHING;
  }
  gb_run_request *reqs = calloc((size_t)nfiles, sizeof *reqs);
  if (!reqs) return GB_EXIT_NOTHING;
  for (int i = 0; i < nfiles; i++) {
    reqs[i] = defaults;
    snprintf(reqs[i].meta.path, sizeof reqs[i].meta.path, "%s", argv[optind + i]);
    if (run_id) snprintf(reqs[i].meta.run_id, sizeof reqs[i].meta.run_id, "%.120s", run_id);
  }
  /* without --run-id, the file stem names the run (athlete+start would collide for
   * several files given the same --athlete/--start) */
  if (!run_id) {
    for (int i = 0; i < nfiles; i++) {
      const char *b = strrchr(reqs[i].meta.path, '/');
      b = b ? b + 1 : reqs[i].meta.path;
      snprintf(reqs[i].meta.run_id, sizeof reqs[i].meta.run_id, "%.120s", b);
      char *dot = strrchr(reqs[i].meta.run_id, '.');
      if (dot && dot != reqs[i].meta.run_id) *dot = '\0';
    }
  }
  gb_assign_run_ids(reqs, (size_t)nfiles);
  char created[32];
  gb_cli_created_iso(created);
  int ok = 0, failed = 0;
  if (!json && gb_cli_verbosity > 0) gb_cli_print_summary_header(stdout);
  for (int i = 0; i < nfiles; i++) {
    char report[4400], err[1024] = "";
    snprintf(report, sizeof report, "%s/%s.h5", runs_dir, reqs[i].meta.run_id);
    gb_result *res = NULL;
    gb_flag *flags = NULL;
    size_t n_flags = 0;
    gb_provenance prov;
    int st = gb_analyze_file(&cfg, &reqs[i], report, created, &res, &flags, &n_flags, &prov, err,
                             sizeof err);
    if (st != GB_OK) {
      gb_cli_error("%s", err[0] ? err : gb_strerror(st));
      failed++;
      continue;
    }
    ok++;
    if (prov.warnings[0]) gb_cli_warn("%s: %s", reqs[i].meta.path, prov.warnings);
    if (json)
      gb_cli_print_summary_json(stdout, reqs[i].meta.run_id, &res->summary, flags, n_flags, report);
    else
      gb_cli_print_summary_row(stdout, reqs[i].meta.run_id, &res->summary, n_flags, report);
    if (res->notes[0]) gb_cli_info("%s: %s", reqs[i].meta.run_id, res->notes);
    gb_result_free(res);
    free(flags);
  }
  free(reqs);
  fflush(stdout);
  if (ok == 0) return GB_EXIT_NOTHING;
  return failed ? GB_EXIT_SOME_FAILED : GB_EXIT_OK;
}
