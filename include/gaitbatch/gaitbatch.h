/* gaitbatch — the whole public API in one include.
 *
 *   status.h    status codes and gb_strerror()
 *   version.h   library, analysis, schema and dependency versions
 *   types.h     sensor location, units, run metadata, risk flags
 *   config.h    every threshold, defaults with sources, INI loading
 *   source.h    recordings read in blocks of frames (libsndfile formats, CSV)
 *   analyzer.h  the streaming per-run analyzer and its result tables
 *   risk.h      the per-run flag catalogue
 *   load.h      per-athlete load ramps and load flags
 *   report.h    HDF5 run reports and batch summaries (atomic writes)
 *   batch.h     one recording end to end; the nightly batch
 *   synth.h     ground-truth recording generator
 *   eval.h      metrics against ground truth
 *
 * A minimal program:
 *
 *   gb_config cfg;  gb_config_defaults(&cfg);
 *   gb_run_request req;  gb_run_request_init(&req);
 *   snprintf(req.meta.path, sizeof req.meta.path, "%s", "run.flac");
 *   req.meta.location = GB_LOC_TIBIA;  req.meta.full_scale_g = 16;
 *   gb_result *res = NULL;  char err[512];
 *   if (gb_analyze_file(&cfg, &req, "run.h5", NULL, &res, NULL, NULL, NULL, err, sizeof err) == 0) {
 *     printf("%.1f steps/min, %d steps\n", res->summary.cadence_median_spm, res->summary.n_steps);
 *     gb_result_free(res);
 *   } else fprintf(stderr, "%s\n", err);
 */
#ifndef GAITBATCH_GAITBATCH_H
#define GAITBATCH_GAITBATCH_H

#include "gaitbatch/status.h"
#include "gaitbatch/version.h"
#include "gaitbatch/types.h"
#include "gaitbatch/config.h"
#include "gaitbatch/source.h"
#include "gaitbatch/analyzer.h"
#include "gaitbatch/risk.h"
#include "gaitbatch/load.h"
#include "gaitbatch/report.h"
#include "gaitbatch/batch.h"
#include "gaitbatch/synth.h"
#include "gaitbatch/eval.h"

#endif
