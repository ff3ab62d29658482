/* Fuzz target: INI configuration parsing, then the dump and the hash. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "gaitbatch/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *text = malloc(size + 1);
  if (!text) return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  gb_config cfg;
  gb_config_defaults(&cfg);
  char err[512];
  if (gb_config_load_string(&cfg, text, "fuzz.ini", err, sizeof err) == 0) {
    FILE *f = fopen("/dev/null", "w");
    if (f) {
      gb_config_write(&cfg, f);
      fclose(f);
    }
    (void)gb_config_hash(&cfg);
  }
  free(text);
  return 0;
}
