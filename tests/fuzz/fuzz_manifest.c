/* Fuzz target: manifest.csv parsing and run-id assignment. */
#include <stdlib.h>

#include "fuzz_common.h"
#include "gaitbatch/batch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  gb_run_request *rows = NULL;
  size_t n = 0;
  char err[512];
  if (gb_manifest_parse((const char *)data, size, "fuzz.csv", "/data", NULL, &rows, &n, err,
                        sizeof err) == 0) {
    gb_assign_run_ids(rows, n);
    gb_requests_free(rows, n);
  }
  return 0;
}
