/* gaitbatch — status codes.
 *
 * Every library function that can fail returns an int: 0 (GB_OK) on success, a
 * negative GB_E* code on failure (libuv's convention). The code says what kind of
 * failure it was; the handle's errmsg() (or the caller's error buffer) says which
 * file, line or sample and what was expected. */
#ifndef GAITBATCH_STATUS_H
#define GAITBATCH_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

enum {
  GB_OK = 0,
  GB_EINVAL = -1,       /* invalid argument or option value */
  GB_ENOMEM = -2,       /* out of memory */
  GB_EIO = -3,          /* read or write failed (disk full, permission, vanished file) */
  GB_ENOENT = -4,       /* file or object not found */
  GB_EFORMAT = -5,      /* malformed input: bad header, text in numbers, truncated file */
  GB_EUNSUPPORTED = -6, /* well-formed but unsupported (channel count, encoding) */
  GB_ERANGE = -7,       /* value out of the accepted range (rate, NaN/Inf runs, time order) */
  GB_ETOOSHORT = -8,    /* recording too short for the analysis */
  GB_EHDF5 = -9,        /* the HDF5 library reported an error */
  GB_EFFT = -10,        /* FFTW could not make a plan */
  GB_EBUSY = -11,       /* resource locked by another process (batch output folder) */
  GB_ECONFIG = -12,     /* configuration file error */
  GB_EINTERNAL = -13    /* a bug: an invariant of gaitbatch itself failed */
};

/* A short, static, human-readable description of a status code; never NULL. */
const char *gb_strerror(int status);
/* The code's symbolic name ("GB_EFORMAT"); never NULL. */
const char *gb_status_name(int status);

#ifdef __cplusplus
}
#endif
#endif
