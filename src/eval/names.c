/* Class names of the truth contract (README: ground-truth format): the analyzer's
 * words for event kinds, landings and landing patterns, so that truth files and
 * reports use the same ones ("forefoot" is read as midfoot: one class). */
#include <stddef.h>
#include <strings.h>

#include "eval/eval_internal.h"
#include "gaitbatch/analyzer.h"

/* Event kinds run from GB_EVENT_WARMUP_MISSING (1) to GB_EVENT_WARMUP; the words
 * are the analyzer's own (gb_event_kind_name), so there is one list to keep. */
int gb_eval_event_kind_parse(const char *s)
{
  for (int k = GB_EVENT_WARMUP_MISSING; k <= GB_EVENT_WARMUP; k++)
    if (strcasecmp(s, gb_event_kind_name((gb_event_kind)k)) == 0) return k;
  return -1;
}

const char *gb_eval_event_kind_str(int kind)
{
  if (kind < GB_EVENT_WARMUP_MISSING || kind > GB_EVENT_WARMUP) return "?";
  return gb_event_kind_name((gb_event_kind)kind);
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
