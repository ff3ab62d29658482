/* Shared by the fuzz targets: hand arbitrary bytes to the file-based readers
 * through a temporary file (in /dev/shm when available), so the targets exercise
 * exactly the code a batch runs on files. */
#ifndef GB_FUZZ_COMMON_H
#define GB_FUZZ_COMMON_H
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Writes data to a new temporary file whose name ends in suffix (".csv", ".wav";
 * the extension picks the reader); fills path. Returns 0, or -1. The caller
 * unlinks path. */
int gb_fuzz_tempfile(const uint8_t *data, size_t size, const char *suffix, char *path,
                     size_t pathlen);
#endif
