/* Run result ownership and the names of the analyzer's enums (analyzer.h). */
#include <stdlib.h>

#include "gaitbatch/analyzer.h"

void gb_result_free(gb_result *r)
{
  if (!r) return;
  free(r->cadence);
  free(r->steps);
  free(r->bouts);
  free(r->events);
  free(r);
}

const char *gb_landing_name(gb_landing l)
{
  switch (l) {
  case GB_LANDING_REARFOOT: return "rearfoot";
  case GB_LANDING_MIDFOOT: return "midfoot";
  case GB_LANDING_UNKNOWN: break;
  }
  return "unknown";
}

const char *gb_landing_pattern_name(gb_landing_pattern p)
{
  switch (p) {
  case GB_PATTERN_REARFOOT: return "rearfoot";
  case GB_PATTERN_MIDFOOT: return "midfoot";
  case GB_PATTERN_MIXED: return "mixed";
  case GB_PATTERN_UNKNOWN: break;
  }
  return "unknown";
}

const char *gb_bout_kind_name(gb_bout_kind k)
{
  switch (k) {
  case GB_BOUT_STILL: return "still";
  case GB_BOUT_WALKING: return "walking";
  case GB_BOUT_RUNNING: return "running";
  case GB_BOUT_OTHER: return "other";
  }
  return "unknown";
}

const char *gb_event_kind_name(gb_event_kind k)
{
  switch (k) {
  case GB_EVENT_WARMUP_MISSING: return "warmup_missing";
  case GB_EVENT_SURGE: return "surge";
  case GB_EVENT_FATIGUE_DRIFT: return "fatigue_drift";
  case GB_EVENT_ABRUPT_STOP: return "abrupt_stop";
  case GB_EVENT_IRREGULAR: return "irregular";
  case GB_EVENT_ASYMMETRY: return "asymmetry";
  case GB_EVENT_TRUNK_LEAN: return "trunk_lean";
  case GB_EVENT_WARMUP: return "warmup";
  }
  return "unknown";
}
