/* gaitbatch — HDF5 reports (DESIGN §8): one immutable file per run and a summary
 * per batch, readable from h5py/pandas, MATLAB and R.
 *
 * Every write goes to a temporary file in the destination folder, is synced and
 * renamed into place, and the folder is synced: a crash or kill leaves the previous
 * report or the new one, never half of one. All HDF5 calls of the library go through
 * this module, under one lock. */
#ifndef GAITBATCH_REPORT_H
#define GAITBATCH_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "gaitbatch/analyzer.h"
#include "gaitbatch/load.h"
#include "gaitbatch/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where a run's numbers came from: enough to decide whether to re-analyse. */
typedef struct gb_provenance {
  char input_hash[17];     /* xxh64 of the input file, 16 hex digits */
  char config_hash[17];    /* gb_config_hash, 16 hex digits */
  int32_t analysis_version;/* GB_ANALYSIS_VERSION */
  char generator[64];      /* "gaitbatch 0.1.0" */
  char created_iso[32];    /* UTC creation time */
  char source_format[24];  /* gb_source_info.format */
  double jitter_ms;        /* CSV timestamp jitter (0 if uniform) */
  char warnings[512];      /* source warnings */
} gb_provenance;

/* Writes OUT/runs/<run_id>.h5 (or any path) atomically. The file is built in memory
 * (about its own size) and written at the end. GB_EIO for a folder that cannot be
 * written or a full disk, GB_EHDF5 when HDF5 fails; either way the path named in err
 * is untouched (the previous report, or nothing) and no temporary file is left. */
int gb_report_write_run(const char *path, const gb_run_meta *meta, const gb_provenance *prov,
                        const gb_result *res, const gb_flag *flags, size_t n_flags,
                        char *err, size_t errlen);

/* Reads a run report back. Any of meta/prov/res/flags may be NULL to skip it.
 * *res and *flags are the caller's to free (gb_result_free, free). */
int gb_report_read_run(const char *path, gb_run_meta *meta, gb_provenance *prov,
                       gb_result **res, gb_flag **flags, size_t *n_flags, char *err,
                       size_t errlen);

/* Reads the metadata, provenance, one-row summary and flags of a run report, but
 * not its per-window and per-step tables: what a batch needs to reuse a run. */
int gb_report_read_run_summary(const char *path, gb_run_meta *meta, gb_provenance *prov,
                               gb_summary *summary, gb_flag **flags, size_t *n_flags, char *err,
                               size_t errlen);

/* ---- batch summary --------------------------------------------------------- */

typedef enum gb_run_status { GB_RUN_OK = 0, GB_RUN_FAILED = 1 } gb_run_status;

typedef struct gb_summary_run {
  gb_run_meta meta;
  gb_provenance prov;
  gb_summary summary;
  int32_t status;            /* gb_run_status */
  int32_t reanalysed;        /* 1 when analysed in this batch, 0 when read back */
  int32_t n_flags_info, n_flags_warn, n_flags_high;
  char report_relpath[GB_PATH_MAX]; /* "runs/<run_id>.h5", relative to the summary */
} gb_summary_run;

typedef struct gb_flag_row {
  char run_id[GB_ID_MAX];
  char athlete[GB_ID_MAX];
  gb_flag flag;
} gb_flag_row;

typedef struct gb_error_row {
  char path[GB_PATH_MAX];
  char message[512];
} gb_error_row;

typedef struct gb_athlete_load {
  char athlete[GB_ID_MAX];
  const gb_load_result *load;
} gb_athlete_load;

/* Writes summary.h5 atomically: /runs, /flags, /athletes/<id>/daily|weekly, /errors
 * and external links /run/<run_id> to each run's report. */
int gb_report_write_summary(const char *path, const gb_summary_run *runs, size_t n_runs,
                            const gb_flag_row *flags, size_t n_flags,
                            const gb_athlete_load *athletes, size_t n_athletes,
                            const gb_error_row *errors, size_t n_errors, char *err,
                            size_t errlen);

/* Same, with an explicit root attribute `created` (ISO 8601): equal inputs and equal
 * created give byte-identical files. gb_report_write_summary uses the current UTC time. */
int gb_report_write_summary_at(const char *path, const char *created_iso,
                               const gb_summary_run *runs, size_t n_runs,
                               const gb_flag_row *flags, size_t n_flags,
                               const gb_athlete_load *athletes, size_t n_athletes,
                               const gb_error_row *errors, size_t n_errors, char *err,
                               size_t errlen);

/* Readers of summary.h5 (GB_EFORMAT naming the path when the schema is not
 * "gaitbatch.summary"). Arrays are malloc'd (NULL when empty): free() them. */
int gb_report_read_summary_runs(const char *path, gb_summary_run **rows, size_t *n, char *err,
                                size_t errlen);
int gb_report_read_summary_flags(const char *path, gb_flag_row **rows, size_t *n, char *err,
                                 size_t errlen);
int gb_report_read_summary_errors(const char *path, gb_error_row **rows, size_t *n, char *err,
                                  size_t errlen);
/* One athlete's /athletes/<id>/daily and /weekly (found by the original id kept in the
 * group's `athlete` attribute). GB_ENOENT when the athlete is not in the file. */
int gb_report_read_summary_load(const char *path, const char *athlete, gb_daily_row **daily,
                                size_t *n_daily, gb_weekly_row **weekly, size_t *n_weekly,
                                char *err, size_t errlen);

typedef enum gb_show_format { GB_SHOW_TEXT = 0, GB_SHOW_JSON, GB_SHOW_CSV } gb_show_format;
/* Prints a run report or a summary file (detected from its schema attribute) to out:
 * summary, flags and, for a summary, each athlete's current load state. */
int gb_report_show(const char *path, gb_show_format fmt, FILE *out, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
