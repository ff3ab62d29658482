/* Metadata options shared by `analyze` and `batch` (how to read a recording and
 * who/where it is): --location --units --full-scale --rate --cols --time-col
 * --athlete --start. */
#ifndef GB_CLI_META_OPTS_H
#define GB_CLI_META_OPTS_H
#include <getopt.h>

#include "gaitbatch/batch.h"

enum {
  OPT_LOCATION = 1000, OPT_UNITS, OPT_FULL_SCALE, OPT_RATE, OPT_COLS, OPT_TIME_COL,
  OPT_ATHLETE, OPT_START, OPT_META_LAST
};

#define GB_META_LONG_OPTIONS                                  \
  {"location", required_argument, NULL, OPT_LOCATION},        \
  {"units", required_argument, NULL, OPT_UNITS},              \
  {"full-scale", required_argument, NULL, OPT_FULL_SCALE},    \
  {"rate", required_argument, NULL, OPT_RATE},                \
  {"cols", required_argument, NULL, OPT_COLS},                \
  {"time-col", required_argument, NULL, OPT_TIME_COL},        \
  {"athlete", required_argument, NULL, OPT_ATHLETE},          \
  {"start", required_argument, NULL, OPT_START}

#define GB_META_HELP                                                                      \
  "  --location L      sensor site: tibia|foot|sacrum|trunk|wrist|thigh (default unknown)\n" \
  "  --units U         float/CSV sample units: g or m/s2 (default: g, CSV auto-detected)\n"  \
  "  --full-scale G    integer PCM full scale in g (e.g. 16 for a ±16 g sensor)\n"          \
  "  --rate HZ         sample rate for CSV without a time column\n"                         \
  "  --cols A,B,C      CSV columns for x,y,z, or one column for the long axis\n"             \
  "  --time-col NAME   CSV time column (s, ms or ISO 8601; default: recognised by name)\n"   \
  "  --athlete ID      athlete id (load ramps are per athlete)\n"                           \
  "  --start ISO       start time, ISO 8601 (e.g. 2026-03-02T07:00:00Z)\n"

/* Applies option `opt` (one of OPT_*) with value `arg`; 1 if handled, 0 if not a
 * metadata option, -1 on a bad value (message printed). */
int gb_cli_meta_opt(gb_run_request *r, int opt, const char *arg);

#endif
