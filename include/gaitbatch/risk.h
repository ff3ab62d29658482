/* gaitbatch — the per-run flag catalogue (DESIGN §7): every cause and preventive
 * measure of the injury guidance that a sensor can see, as a rule over the run
 * result with a configurable threshold. Load flags live in load.h. */
#ifndef GAITBATCH_RISK_H
#define GAITBATCH_RISK_H

#include <stddef.h>
#include "gaitbatch/analyzer.h"
#include "gaitbatch/config.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Computes the run's flags (caller frees *flags with free()); sorted by time, then code. */
int gb_risk_run_flags(const gb_config *cfg, gb_location loc, const gb_result *r,
                      gb_flag **flags, size_t *n_flags);

/* Catalogue entry: code, what the source text says, how it is measured. */
typedef struct gb_flag_info {
  const char *code;
  const char *source_text;
  const char *measured_by;
  const char *severity;    /* the severities the flag can take and when */
  const char *config_keys; /* "section.key" thresholds behind it ("" for none) */
  const char *scope;       /* "run" (gb_risk_run_flags) or "load" (gb_load_compute) */
} gb_flag_info;
/* The whole catalogue (run and load flags), for documentation and `config --dump`. */
const gb_flag_info *gb_risk_catalogue(size_t *n);

/* Causes and preventive measures of the guidance that a body-worn accelerometer
 * cannot see (hydration, shoes, stretching, …): code is a short tag (not a flag
 * code), source_text the guidance, measured_by why it cannot be measured. */
const gb_flag_info *gb_risk_unobservable(size_t *n);

#ifdef __cplusplus
}
#endif
#endif
