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
  /* Added by the io module (fields above are the original draft): */
  int units_ms2;         /* 1 when float input was taken as m/s^2 and converted to g */
  int64_t n_repaired;    /* non-finite values (NaN/Inf/empty) replaced so far */
} gb_source_info;

/* Opens a recording. *out is set even on failure (unless memory ran out), so that
 * gb_source_errmsg() can name the file, line or sample and what was expected; the
 * caller frees it either way.
 *
 * Dispatch: content that starts like a sound container (RIFF, RF64, fLaC, FORM,
 * caff, OggS, ...) goes to libsndfile; otherwise ".csv", ".tsv", ".txt" are CSV,
 * known sound extensions go to libsndfile, and anything else is CSV when its first
 * 512 bytes are text. Missing file: GB_ENOENT; directory or unreadable: GB_EIO.
 *
 * Sound files: 1 channel = long axis, 3 = x,y,z, 4 = OpenMovement x,y,z,aux (aux
 * dropped), other counts GB_EUNSUPPORTED. Float/double samples are g (m/s^2 with
 * opts->units, or a "units=m/s2" comment); integer PCM is scaled by
 * opts->full_scale_g, else a "fullscale_g=G" comment, else OpenMovement per-channel
 * "Scale-N: G" comment lines, else GB_EINVAL. start_iso from the date string (ICRD).
 *
 * CSV: header row required; delimiter ',', ';' or TAB from the header; '#' lines,
 * blank lines, a UTF-8 BOM and CRLF accepted. Preamble lines before the header that
 * hold none of the header's delimiters ("Acquisition frequency: 100 Hz") are skipped
 * with a warning; a "frequency: N Hz" one gives the rate when there is no time column
 * and opts->rate_hz is 0. Columns by opts->cols or common names.
 * Time column by opts->time_col or common names (s, ms, us, ns by name, else ms when
 * seconds would mean < 5 Hz or values look like epoch ms; ISO 8601 text; a sample
 * index needs opts->rate_hz). The rate is opts->rate_hz, else 1 / median interval
 * of the first 4096 rows; rows are placed on that uniform grid (starting at the
 * first row) by linear interpolation, so irregular timestamps are resampled;
 * jitter_ms and resampled grow as rows are read (final at end of input). Non-monotonic
 * or repeated times: GB_ERANGE. Values: g, m/s^2 with opts->units (units_set), else
 * from the names ("_ms2", "m/s^2", "_g"), else m/s^2 when the median |a| over the
 * first second lies within 0.5-2 g expressed in m/s^2 (with a warning).
 *
 * Non-finite values: runs of at most 3 frames take the previous valid value (the
 * next one at the start), counted in n_repaired and a warning; longer runs are
 * GB_ERANGE naming the first line or sample. */
int gb_source_open(const char *path, const gb_source_opts *opts, gb_source **out);

/* Reads up to max_frames (> 0) frames (channels floats each, interleaved) into buf.
 * *n_read = 0 with GB_OK means end of input. Malformed data further in the file is
 * reported here with its line or sample number; a failure is sticky (every later
 * call returns it). The frames do not depend on max_frames. */
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
