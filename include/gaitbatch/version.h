/* gaitbatch — version numbers of the library, its analysis and its dependencies. */
#ifndef GAITBATCH_VERSION_H
#define GAITBATCH_VERSION_H

#ifdef __cplusplus
extern "C" {
#endif

#define GB_VERSION_MAJOR 0
#define GB_VERSION_MINOR 1
#define GB_VERSION_PATCH 0
#define GB_VERSION_NUMBER (GB_VERSION_MAJOR * 10000 + GB_VERSION_MINOR * 100 + GB_VERSION_PATCH)
#define GB_VERSION_STRING "0.1.0"

/* Bumped whenever a change can alter any number the analysis produces. The batch
 * re-analyses a run when this differs from the value stored in its report. */
#define GB_ANALYSIS_VERSION 2

/* Version of the report layout (root attribute schema_version of every report). */
#define GB_SCHEMA_VERSION "1.0"

/* Runtime versions: compare with the macros to detect a header/library mismatch. */
unsigned gb_version_number(void);
const char *gb_version_string(void);
/* Versions of the libraries linked in, e.g. "fftw-3.3.10-sse2-avx". Never NULL. */
const char *gb_fftw_version(void);
const char *gb_sndfile_version(void);
const char *gb_hdf5_version(void);

#ifdef __cplusplus
}
#endif
#endif
