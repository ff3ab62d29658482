/* gaitbatch — trace sources: recordings read in blocks of frames, in g.
 *
 * A source hides the file format (anything libsndfile reads, OpenMovement WAV,
 * CSV) and hands out frames of 1 (the sensor's long axis) or 3 (x, y, z) floats in
 * g at a uniform rate. It never loads a whole recording: memory is bounded by the
 * block the caller asks for. */
#ifndef GAITBATCH_SOURCE_H
#define GAITBATCH_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "gaitbatch/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gb_source gb_source;

typedef enum gb_time_unit {
  GB_TIME_AUTO = 0, /* guess from the column name ("ms", "_s") and the values */
  GB_TIME_S,
  GB_TIME_MS,
  GB_TIME_ISO8601
} gb_time_unit;

typedef struct gb_source_opts {
  gb_units units;       /* units of float samples (WAV float, CSV); default g */
  int units_set;        /* 1 when units were given explicitly */
  double full_scale_g;  /* integer PCM full scale (±g); 0 = take it from the file
                           (OpenMovement Scale-N, a "fullscale_g=" comment) or fail */
  double rate_hz;       /* CSV without a time column: the declared rate; 0 = use time */
  const char *cols;     /* CSV column names "x,y,z" or one name for the long axis;
                           NULL = recognise common names */
  gb_time_unit time_unit;
  const char *time_col; /* CSV time column name; NULL = recognise common names */
} gb_source_opts;

void gb_source_opts_init(gb_source_opts *o);

typedef struct gb_source_info {
  const char *format;    /* "wav", "flac", "csv", "openmovement-wav", ... */
  double rate_hz;        /* uniform output rate */
  int channels;          /* 1 or 3 */
  int64_t n_frames;      /* frames the source will deliver, -1 if unknown (CSV) */
  double full_scale_g;   /* sensor range if known (±g), else 0 */
  char start_iso[40];    /* start time from the file (OpenMovement ICRD, CSV ISO time), or "" */
  int resampled;         /* 1 when irregular timestamps were resampled */
  double jitter_ms;      /* RMS deviation of input intervals from uniform (CSV with time) */
} gb_source_info;

/* Opens a recording. *out is set even on failure (unless memory ran out), so that
 * gb_source_errmsg() can name the file, line or sample and what was expected; the
 * caller frees it either way. */
int gb_source_open(const char *path, const gb_source_opts *opts, gb_source **out);

/* Reads up to max_frames frames (channels floats each, interleaved) into buf.
 * *n_read = 0 with GB_OK means end of input. Malformed data further in the file is
 * reported here with its line or sample number. */
int gb_source_read(gb_source *src, float *buf, size_t max_frames, size_t *n_read);

const gb_source_info *gb_source_get_info(const gb_source *src);
/* Warnings collected so far (resampling jitter, clipped runs), "" if none. */
const char *gb_source_warnings(const gb_source *src);
const char *gb_source_errmsg(const gb_source *src);
void gb_source_free(gb_source *src); /* NULL-safe */

#ifdef __cplusplus
}
#endif
#endif
