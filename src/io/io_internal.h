/* Internal to src/io: the source object shared by the backends (libsndfile, CSV),
 * the non-finite repair filter and ISO 8601 time helpers. */
#ifndef GB_IO_INTERNAL_H
#define GB_IO_INTERNAL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "gaitbatch/source.h"
#include "gaitbatch/status.h"
#include "gaitbatch/types.h"

#define GB_IO_ERRMSG_MAX 1024
#define GB_IO_WARN_MAX 2048
/* Rates above this are not accelerometer recordings (sensor ODRs top out at a
 * few kHz; 100 kHz leaves room for lab ADCs while rejecting garbage headers). */
#define GB_IO_RATE_MAX_HZ 100000.0
/* Longest run of non-finite samples repaired by holding the previous value: at
 * 100 Hz, 3 samples = 30 ms, shorter than one impact transient (DESIGN §4). */
#define GB_IO_NANFIX_MAX_RUN 3

/* Refuses (GB_EFORMAT, message naming the file and byte) a RIFF/WAVE file whose
 * LIST subchunks overrun their LIST chunk, which hangs libsndfile's sf_open (its
 * issue #1118). 0 for any other file, including ones it cannot read. */
int gb_io_riff_guard(const char *path, char *err, size_t errlen);

typedef struct gb_io_backend {
  const char *name;
  /* Delivers up to max frames of info.channels floats; *n = 0 at the end. */
  int (*read)(gb_source *src, float *buf, size_t max, size_t *n);
  void (*close)(void *impl);
} gb_io_backend;

struct gb_source {
  gb_source_info info;
  char path[GB_PATH_MAX];
  char errmsg[GB_IO_ERRMSG_MAX];
  char warnings[GB_IO_WARN_MAX];  /* '\n'-separated lines */
  int status;                     /* sticky: once a read failed, it keeps failing */
  int at_end;
  const gb_io_backend *be;
  void *impl;
};

/* Appends one warning line to src->warnings (truncated if full). */
void gb_io_warn(gb_source *src, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Sets src->errmsg and returns status. */
int gb_io_fail(gb_source *src, int status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

int gb_io_open_sndfile(gb_source *src, const gb_source_opts *opts);
int gb_io_open_csv(gb_source *src, const gb_source_opts *opts, int fd);

/* One input frame on its way through a backend. t is the backend's raw time
 * (relative to the first row, in the time column's units), loc the line number
 * (CSV) or sample index (sound files) used in messages. */
typedef struct gb_io_frame {
  double t;
  double v[3];
  int64_t loc;
} gb_io_frame;

/* Pulls the next raw frame: 1 = one frame, 0 = end of input, < 0 = error. */
typedef int (*gb_io_pull_fn)(void *ctx, gb_io_frame *f);

/* Non-finite repair (DESIGN §4 "NaN/Inf runs"): a run of at most
 * GB_IO_NANFIX_MAX_RUN frames holding NaN/Inf gets the previous valid value per
 * channel (the next valid one at the very start); a longer run is an error. */
typedef struct gb_nanfix {
  int nch;
  double last[3];
  int have_last;
  gb_io_frame q[GB_IO_NANFIX_MAX_RUN + 1];
  int qhead, qlen;
  int64_t n_replaced;   /* values replaced */
  int64_t n_runs;       /* runs repaired */
  int64_t first_loc;    /* loc of the first repaired frame, -1 if none */
  int64_t bad_loc;      /* on GB_ERANGE: loc of the run's first frame */
  int bad_ch;           /* on GB_ERANGE: first non-finite channel there */
  int bad_all;          /* on GB_ERANGE: 1 when no finite frame exists at all */
} gb_nanfix;

void gb_nanfix_init(gb_nanfix *nf, int nch);
/* 1 = frame in *out, 0 = end, GB_ERANGE = run too long (bad_loc/bad_ch set), other
 * negative = the pull function's error. */
int gb_nanfix_next(gb_nanfix *nf, gb_io_pull_fn pull, void *ctx, gb_io_frame *out);
/* The pieces of gb_nanfix_next for callers with their own fast path: whether a
 * frame is all finite, and the handling of a run that starts with frame f (which
 * must not be finite). Callers keep nf->last up to date for finite frames. */
static inline int gb_nanfix_finite(const gb_nanfix *nf, const gb_io_frame *f)
{
  for (int c = 0; c < nf->nch; c++)
    if (!isfinite(f->v[c])) return 0;
  return 1;
}
int gb_nanfix_run(gb_nanfix *nf, const gb_io_frame *f, gb_io_pull_fn pull, void *ctx, gb_io_frame *out);

/* ISO 8601 date-time "YYYY-MM-DD[T ]hh:mm[:ss[.fff]][Z|+hh[:mm]|-hh[:mm]]" of
 * exactly len bytes (surrounding spaces and quotes allowed). *sec is seconds since
 * 1970-01-01 (UTC when a zone was given, else the wall clock taken as UTC), *frac
 * the fraction of a second in [0, 1). Returns 0 or -1. */
int gb_iso8601_parse(const char *s, size_t len, int64_t *sec, double *frac, int *has_zone);
/* Formats seconds since 1970 as "YYYY-MM-DDThh:mm:ss.sss" (+ "Z" if zulu). */
void gb_iso8601_format(int64_t sec, double frac, int zulu, char *buf, size_t len);

#endif
