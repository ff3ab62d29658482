/* Class names of the truth contract (notes: truth format). They mirror
 * gb_event_kind_name(), gb_landing_name() and gb_landing_pattern_name() of the
 * analyzer so that truth files and reports use the same words. */
#include <stddef.h>
#include <strings.h>

#include "eval/eval_internal.h"
#include "gaitbatch/analyzer.h"

static const char *const event_names[] = {NULL,        "warmup_missing", "surge",
                                          "fatigue_drift", "abrupt_stop", "irregular",
                                          "asymmetry", "trunk_lean",  "warmup"};

int gb_eval_event_kind_parse(const char *s)
{
  for (int k = 1; k < (int)(sizeof event_names / sizeof *event_names); k++)
    if (strcasecmp(s, event_names[k]) == 0) return k;
  return -1;
}

const char *gb_eval_event_kind_str(int kind)
{
  if (kind < 1 || kind >= (int)(sizeof event_names / sizeof *event_names)) return "?";
  return event_names[kind];
}

int gb_eval_landing_parse(const char *s)
{
  if (!*s || strcasecmp(s, "unknown") == 0) return GB_LANDING_UNKNOWN;
  if (strcasecmp(s, "rearfoot") == 0) return GB_LANDING_REARFOOT;
  if (strcasecmp(s, "midfoot") == 0 || strcasecmp(s, "forefoot") == 0) return GB_LANDING_MIDFOOT;
  return -1;
}

int gb_eval_pattern_parse(const char *s)
{
  if (strcasecmp(s, "unknown") == 0) return GB_PATTERN_UNKNOWN;
  if (strcasecmp(s, "rearfoot") == 0) return GB_PATTERN_REARFOOT;
  if (strcasecmp(s, "midfoot") == 0 || strcasecmp(s, "forefoot") == 0) return GB_PATTERN_MIDFOOT;
  if (strcasecmp(s, "mixed") == 0) return GB_PATTERN_MIXED;
  return -1;
}
