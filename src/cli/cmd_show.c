/* gaitbatch show REPORT.h5 [--json|--csv]: a run report or a batch summary on stdout. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli_util.h"
#include "commands.h"
#include "gaitbatch/report.h"
#include "gaitbatch/status.h"

static void usage(FILE *f)
{
  fprintf(f,
          "Usage: gaitbatch show REPORT.h5 [--json|--csv]\n\n"
          "Prints a report on stdout. The kind is read from the file's schema attribute:\n"
          "  a run report (OUT/runs/<run_id>.h5): key metrics with units, events and flags;\n"
          "  a batch summary (OUT/summary.h5): per athlete the current load state (last ISO\n"
          "  week's totals and change, ACWR) and the open flags (those of the last 14 days\n"
          "  of that athlete's data), then the inputs that failed.\n\n"
          "Options:\n"
          "  --json      one JSON object (NaN as null)\n"
          "  --csv       the summary row(s) as CSV with a header (a run: its /summary row;\n"
          "              a summary: every /runs row)\n"
          "  -q, --quiet / -v, --verbose\n"
          "  -h, --help\n\n"
          "Exit status: 0 shown; 1 the report could not be read; 2 usage.\n");
}

int gb_cmd_show(int argc, char **argv)
{
  enum { OPT_JSON = 256, OPT_CSV };
  static const struct option longopts[] = {
    {"json", no_argument, NULL, OPT_JSON}, {"csv", no_argument, NULL, OPT_CSV},
    {"quiet", no_argument, NULL, 'q'},     {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},      {NULL, 0, NULL, 0}};
  gb_show_format fmt = GB_SHOW_TEXT;
  int n_fmt = 0;
  optind = 1;
  int c;
  while ((c = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
    switch (c) {
    case OPT_JSON: fmt = GB_SHOW_JSON; n_fmt++; break;
    case OPT_CSV: fmt = GB_SHOW_CSV; n_fmt++; break;
    case 'q': gb_cli_verbosity = 0; break;
    case 'v': gb_cli_verbosity = 2; break;
    case 'h': usage(stdout); return GB_EXIT_OK;
    default: usage(stderr); return GB_EXIT_USAGE;
    }
  }
  if (n_fmt > 1) {
    gb_cli_error("show: --json and --csv are exclusive");
    return GB_EXIT_USAGE;
  }
  if (argc - optind != 1) {
    gb_cli_error(argc - optind < 1 ? "show: no REPORT.h5 given" : "show: exactly one REPORT.h5 expected");
    usage(stderr);
    return GB_EXIT_USAGE;
  }
  char err[1024] = "";
  int rc = gb_report_show(argv[optind], fmt, stdout, err, sizeof err);
  if (rc != GB_OK) {
    gb_cli_error("%s", err[0] ? err : gb_strerror(rc));
    return GB_EXIT_SOME_FAILED;
  }
  return GB_EXIT_OK;
}
