/* gaitbatch config: print the effective configuration or check a file. */
#include <getopt.h>
#include <stdio.h>

#include "cli_util.h"
#include "commands.h"
#include "gaitbatch/config.h"
#include "gaitbatch/risk.h"

static void usage(FILE *f)
{
  fprintf(f, "Usage: gaitbatch config [--dump] [--flags] [-c FILE]\n\n"
             "  --dump        print the effective configuration as INI (defaults, or FILE applied),\n"
             "                every key with its meaning and the source of its default\n"
             "  --flags       print the flag catalogue: code, what the guidance says, how it is measured\n"
             "  -c FILE       configuration to check and apply (an error names the line)\n");
}

int gb_cmd_config(int argc, char **argv)
{
  static const struct option longopts[] = {{"dump", no_argument, NULL, 'd'},
                                           {"flags", no_argument, NULL, 'f'},
                                           {"config", required_argument, NULL, 'c'},
                                           {"help", no_argument, NULL, 'h'},
                                           {NULL, 0, NULL, 0}};
  const char *path = NULL;
  int dump = 0, flags = 0;
  optind = 1;
  int c;
  while ((c = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
    switch (c) {
    case 'd': dump = 1; break;
    case 'f': flags = 1; break;
    case 'c': path = optarg; break;
    case 'h': usage(stdout); return GB_EXIT_OK;
    default: usage(stderr); return GB_EXIT_USAGE;
    }
  }
  if (optind != argc || (!dump && !flags && !path)) {
    usage(stderr);
    return GB_EXIT_USAGE;
  }
  gb_config cfg;
  if (gb_cli_load_config(&cfg, path) != 0) return GB_EXIT_USAGE;
  if (dump) gb_config_write(&cfg, stdout);
  if (flags) {
    size_t n;
    const gb_flag_info *cat = gb_risk_catalogue(&n);
    for (size_t i = 0; i < n; i++)
      printf("%-20s %s\n%-20s   measured by: %s\n", cat[i].code, cat[i].source_text, "",
             cat[i].measured_by);
  }
  if (!dump && !flags) printf("%s: ok\n", path);
  return GB_EXIT_OK;
}
