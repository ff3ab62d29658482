/* gaitbatch — end-to-end runs: one recording to one report, and the nightly batch
 * over a dataset (DESIGN §9).
 *
 * gb_analyze_file() is the whole per-run pipeline (source → analyzer → flags →
 * report). gb_batch_run() applies it to every recording of a dataset with a pool of
 * worker threads, re-analysing only what changed, then rebuilds every athlete's
 * load ramp and writes OUT/summary.h5 atomically. The library never prints: the
 * caller receives progress and log lines through callbacks. */
#ifndef GAITBATCH_BATCH_H
#define GAITBATCH_BATCH_H

#include <stddef.h>
#include <stdint.h>
#include "gaitbatch/config.h"
#include "gaitbatch/report.h"
#include "gaitbatch/source.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What to analyse and how to read it. */
typedef struct gb_run_request {
  gb_run_meta meta;        /* path, run_id, athlete, start, location, units, full_scale_g */
  int units_set;           /* 1 when meta.units was given (else the reader may detect) */
  double rate_hz;          /* CSV without a time column */
  char cols[256];          /* CSV column selection, "" = recognise common names */
  char time_col[64];       /* CSV time column, "" = recognise */
  char invalid[256];       /* non-empty: this manifest row's metadata is invalid (the
                              message names the line); the batch reports it and goes on */
} gb_run_request;

void gb_run_request_init(gb_run_request *r);
void gb_run_request_clear(gb_run_request *r); /* frees meta.extra */

/* Runs the pipeline on one recording. report_path may be NULL (no report). Each
 * output pointer may be NULL; *res and *flags are the caller's to free
 * (gb_result_free, free). created_iso goes into the report (NULL: current time). */
int gb_analyze_file(const gb_config *cfg, const gb_run_request *req, const char *report_path,
                    const char *created_iso, gb_result **res, gb_flag **flags, size_t *n_flags,
                    gb_provenance *prov, char *err, size_t errlen);

/* ---- manifest and dataset scan -------------------------------------------- */

/* Reads DATASET/manifest.csv (columns path, athlete, start, location, units,
 * full_scale_g; optional run_id, cols, rate_hz, time_col; any other column is kept
 * in meta.extra). Relative paths are resolved against the manifest's folder. Rows
 * are returned in file order; run ids are assigned and made unique by
 * gb_assign_run_ids(). */
int gb_manifest_read(const char *manifest_path, const gb_run_request *defaults,
                     gb_run_request **rows, size_t *n_rows, char *err, size_t errlen);
/* Same, from text in memory (tests, fuzzing); base_dir resolves relative paths. */
int gb_manifest_parse(const char *text, size_t len, const char *name, const char *base_dir,
                      const gb_run_request *defaults, gb_run_request **rows, size_t *n_rows,
                      char *err, size_t errlen);
/* Every recording under dir (recursive; .wav .flac .w64 .rf64 .caf .aif(f) .ogg .csv .tsv),
 * sorted by path, each with the defaults' metadata. */
int gb_dataset_scan(const char *dir, const gb_run_request *defaults, gb_run_request **rows,
                    size_t *n_rows, char *err, size_t errlen);
/* Fills empty run ids (athlete + start, else the file stem), sanitises them to
 * [A-Za-z0-9._-] and makes them unique ("-2", "-3" in row order). */
void gb_assign_run_ids(gb_run_request *rows, size_t n);
void gb_requests_free(gb_run_request *rows, size_t n);

/* ---- batch ----------------------------------------------------------------- */

typedef enum gb_log_level { GB_LOG_ERROR = 0, GB_LOG_WARN = 1, GB_LOG_INFO = 2 } gb_log_level;

typedef struct gb_batch_opts {
  const char *dataset;        /* folder with manifest.csv or recordings */
  const char *out;            /* output folder (created) */
  const gb_config *cfg;
  int jobs;                   /* worker threads; <= 0: number of cores */
  int force;                  /* re-analyse everything */
  int summary_only;           /* analyse nothing; rebuild summary.h5 from existing reports */
  int shard_index, shard_count; /* analyse only jobs i with i % count == index (count 0 = all) */
  const char *created_iso;    /* creation time written into reports (NULL = now) */
  gb_run_request defaults;    /* metadata for recordings without a manifest row */
  /* Called from worker threads, serialised by the batch (never concurrently). */
  void (*on_progress)(void *user, size_t done, size_t total);
  void (*on_log)(void *user, gb_log_level level, const char *run_id, const char *event,
                 const char *message);
  void *user;
} gb_batch_opts;

void gb_batch_opts_init(gb_batch_opts *o);

typedef struct gb_batch_stats {
  size_t n_jobs, n_analysed, n_reused, n_failed, n_skipped_shard;
  int summary_written;
  double wall_s;
} gb_batch_stats;

/* Returns GB_OK when the summary was written (even if some inputs failed: see
 * stats->n_failed), GB_EBUSY when another batch holds OUT's lock, or another error
 * when nothing could be written. */
int gb_batch_run(const gb_batch_opts *opts, gb_batch_stats *stats, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
