/* gaitbatch <command> [options]: samtools-style dispatch; each command parses its
 * own options. Numbers are parsed and printed in the C locale (setlocale is never
 * called). */
#include <stdio.h>
#include <string.h>

#include "cli_util.h"
#include "commands.h"
#include "heap_warm.h"
#include "gaitbatch/version.h"

static const struct {
  const char *name;
  int (*fn)(int, char **);
  const char *help;
} commands[] = {
  {"analyze", gb_cmd_analyze, "analyse recordings given on the command line"},
  {"batch", gb_cmd_batch, "nightly batch over DATASET/manifest.csv (or every recording in DATASET)"},
  {"show", gb_cmd_show, "print a report's summary, flags and load ramps"},
  {"synth", gb_cmd_synth, "write recordings with ground truth (runs, suites, cohorts)"},
  {"eval", gb_cmd_eval, "compare results with ground truth; metrics table"},
  {"bench", gb_cmd_bench, "throughput and peak memory per stage"},
  {"config", gb_cmd_config, "print the effective configuration (--dump) or check a file"},
};

static void usage(FILE *f)
{
  fprintf(f,
          "Usage: gaitbatch <command> [options]\n\n"
          "Gait analysis of running recordings (accelerometers on shank, foot, sacrum, trunk,\n"
          "wrist): cadence, foot contacts, impact, landing pattern, posture, in-run events,\n"
          "per-athlete load ramps, HDF5 reports with risk flags.\n\nCommands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].help);
  fprintf(f, "\nRun 'gaitbatch <command> --help' for a command's options.\n"
             "Exit status: 0 success; 1 some inputs failed (the rest was written);\n"
             "             2 usage error; 3 nothing written.\n");
}

static void version(void)
{
  printf("gaitbatch %s (analysis %d, report schema %s)\n", gb_version_string(),
         GB_ANALYSIS_VERSION, GB_SCHEMA_VERSION);
  printf("HDF5 %s\n%s\n%s\n", gb_hdf5_version(), gb_fftw_version(), gb_sndfile_version());
}

int main(int argc, char **argv)
{
  if (argc < 2) {
    usage(stderr);
    return GB_EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
    usage(stdout);
    return GB_EXIT_OK;
  }
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
    version();
    return GB_EXIT_OK;
  }
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    if (strcmp(cmd, commands[i].name) == 0) {
      /* see heap_warm.h; batch analyses in worker threads, whose allocator
         arenas this does not reach */
      if (strcmp(cmd, "analyze") == 0) gb_cli_heap_warm(GB_CLI_HEAP_WARM_BYTES);
      return commands[i].fn(argc - 1, argv + 1);
    }
  gb_cli_error("unknown command '%s' (see 'gaitbatch --help')", cmd);
  return GB_EXIT_USAGE;
}
