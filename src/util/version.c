#include "gaitbatch/version.h"

#include <fftw3.h>
#include <hdf5.h>
#include <sndfile.h>
#include <stdio.h>

#include "gb_build_config.h"

unsigned gb_version_number(void) { return GB_VERSION_NUMBER; }
const char *gb_version_string(void) { return GB_VERSION_STRING; }
const char *gb_fftw_version(void) { return fftwf_version; }

const char *gb_sndfile_version(void) { return sf_version_string(); }

const char *gb_hdf5_version(void)
{
  static char buf[32];
  /* The header version is what the report format targets; H5get_libversion would
   * need the HDF5 lock for a value that cannot differ in a consistent install. */
  snprintf(buf, sizeof buf, "%d.%d.%d", H5_VERS_MAJOR, H5_VERS_MINOR, H5_VERS_RELEASE);
  return buf;
}
