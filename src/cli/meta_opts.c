#include "meta_opts.h"

#include <string.h>

#include "cli_util.h"
#include "gaitbatch/load.h"
#include "gaitbatch/status.h"

int gb_cli_meta_opt(gb_run_request *r, int opt, const char *arg)
{
  double d;
  switch (opt) {
  case OPT_LOCATION:
    if (gb_location_parse(arg, &r->meta.location) != GB_OK) {
      gb_cli_error("--location: expected tibia|foot|sacrum|trunk|wrist|thigh, got '%s'", arg);
      return -1;
    }
    return 1;
  case OPT_UNITS:
    if (gb_units_parse(arg, &r->meta.units) != GB_OK) {
      gb_cli_error("--units: expected g or m/s2, got '%s'", arg);
      return -1;
    }
    r->units_set = 1;
    return 1;
  case OPT_FULL_SCALE:
    if (gb_cli_parse_double("--full-scale", arg, 0.5, 1000, &d) != 0) return -1;
    r->meta.full_scale_g = d;
    return 1;
  case OPT_RATE:
    if (gb_cli_parse_double("--rate", arg, 1, 100000, &d) != 0) return -1;
    r->rate_hz = d;
    return 1;
  case OPT_COLS:
    if (strlen(arg) >= sizeof r->cols) {
      gb_cli_error("--cols: too long");
      return -1;
    }
    strcpy(r->cols, arg);
    return 1;
  case OPT_TIME_COL:
    if (strlen(arg) >= sizeof r->time_col) {
      gb_cli_error("--time-col: too long");
      return -1;
    }
    strcpy(r->time_col, arg);
    return 1;
  case OPT_ATHLETE:
    if (strlen(arg) >= sizeof r->meta.athlete) {
      gb_cli_error("--athlete: too long");
      return -1;
    }
    strcpy(r->meta.athlete, arg);
    return 1;
  case OPT_START: {
    double epoch;
    if (strlen(arg) >= sizeof r->meta.start_iso || gb_parse_iso8601(arg, &epoch) != GB_OK) {
      gb_cli_error("--start: expected ISO 8601 such as 2026-03-02T07:00:00Z, got '%s'", arg);
      return -1;
    }
    strcpy(r->meta.start_iso, arg);
    return 1;
  }
  }
  return 0;
}
