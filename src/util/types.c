#include "gaitbatch/types.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gaitbatch/status.h"

static const char *const loc_names[] = {"unknown", "tibia", "foot",  "sacrum",
                                        "trunk",   "wrist", "thigh"};

const char *gb_location_name(gb_location loc)
{
  if ((int)loc < 0 || (size_t)loc >= sizeof loc_names / sizeof *loc_names) return "unknown";
  return loc_names[loc];
}

int gb_location_parse(const char *name, gb_location *out)
{
  if (!name || !out) return GB_EINVAL;
  for (size_t i = 0; i < sizeof loc_names / sizeof *loc_names; i++)
    if (strcasecmp(name, loc_names[i]) == 0) {
      *out = (gb_location)i;
      return GB_OK;
    }
  static const struct { const char *alias; gb_location loc; } aliases[] = {
    {"shank", GB_LOC_TIBIA},     {"shin", GB_LOC_TIBIA},       {"ankle", GB_LOC_FOOT},
    {"shoe", GB_LOC_FOOT},       {"lowerback", GB_LOC_SACRUM}, {"lower_back", GB_LOC_SACRUM},
    {"l5", GB_LOC_SACRUM},       {"hip", GB_LOC_SACRUM},       {"waist", GB_LOC_SACRUM},
    {"chest", GB_LOC_TRUNK},     {"back", GB_LOC_TRUNK},       {"",  GB_LOC_UNKNOWN}};
  for (size_t i = 0; i < sizeof aliases / sizeof *aliases; i++)
    if (strcasecmp(name, aliases[i].alias) == 0) {
      *out = aliases[i].loc;
      return GB_OK;
    }
  return GB_EINVAL;
}

int gb_location_is_unilateral(gb_location loc)
{
  return loc == GB_LOC_TIBIA || loc == GB_LOC_FOOT || loc == GB_LOC_THIGH;
}

const char *gb_units_name(gb_units u) { return u == GB_UNITS_MS2 ? "m/s2" : "g"; }

int gb_units_parse(const char *name, gb_units *out)
{
  if (!name || !out) return GB_EINVAL;
  if (strcasecmp(name, "g") == 0) {
    *out = GB_UNITS_G;
    return GB_OK;
  }
  static const char *const ms2[] = {"m/s2", "m/s^2", "mps2", "ms2", "m/s/s", "m s-2"};
  for (size_t i = 0; i < sizeof ms2 / sizeof *ms2; i++)
    if (strcasecmp(name, ms2[i]) == 0) {
      *out = GB_UNITS_MS2;
      return GB_OK;
    }
  return GB_EINVAL;
}

void gb_run_meta_init(gb_run_meta *m)
{
  memset(m, 0, sizeof *m);
  m->location = GB_LOC_UNKNOWN;
  m->units = GB_UNITS_G;
}

void gb_run_meta_clear(gb_run_meta *m)
{
  if (!m) return;
  free(m->extra);
  m->extra = NULL;
}

const char *gb_severity_name(gb_severity s)
{
  switch (s) {
  case GB_SEV_INFO: return "info";
  case GB_SEV_WARN: return "warn";
  case GB_SEV_HIGH: return "high";
  }
  return "info";
}
