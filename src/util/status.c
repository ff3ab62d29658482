#include "gaitbatch/status.h"

#define GB_STATUS_LIST(X)                                                         \
  X(GB_OK, "success")                                                             \
  X(GB_EINVAL, "invalid argument")                                                \
  X(GB_ENOMEM, "out of memory")                                                   \
  X(GB_EIO, "input/output error")                                                 \
  X(GB_ENOENT, "not found")                                                       \
  X(GB_EFORMAT, "malformed input")                                                \
  X(GB_EUNSUPPORTED, "unsupported input")                                         \
  X(GB_ERANGE, "value out of range")                                              \
  X(GB_ETOOSHORT, "recording too short")                                          \
  X(GB_EHDF5, "HDF5 error")                                                       \
  X(GB_EFFT, "FFT planning failed")                                               \
  X(GB_EBUSY, "resource busy (locked by another process)")                        \
  X(GB_ECONFIG, "configuration error")                                            \
  X(GB_EINTERNAL, "internal error")

const char *gb_strerror(int status)
{
  switch (status) {
#define X(code, text) \
  case code:          \
    return text;
    GB_STATUS_LIST(X)
#undef X
  }
  return "unknown error";
}

const char *gb_status_name(int status)
{
  switch (status) {
#define X(code, text) \
  case code:          \
    return #code;
    GB_STATUS_LIST(X)
#undef X
  }
  return "GB_E?";
}
