/* Fuzz target: a recording through gb_source_open/read and the analyzer.
 * Built twice: FUZZ_CSV forces the CSV reader, otherwise the libsndfile path. */
#include <stdlib.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "gaitbatch/analyzer.h"
#include "gaitbatch/config.h"
#include "gaitbatch/source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char path[128];
#ifdef FUZZ_CSV
  const char *suffix = ".csv";
#else
  const char *suffix = ".wav";
#endif
  if (gb_fuzz_tempfile(data, size, suffix, path, sizeof path) != 0) return 0;
  gb_source_opts o;
  gb_source_opts_init(&o);
  o.full_scale_g = 16;
  gb_source *src = NULL;
  if (gb_source_open(path, &o, &src) == 0) {
    const gb_source_info *info = gb_source_get_info(src);
    gb_config cfg;
    gb_config_defaults(&cfg);
    gb_analyzer_input in = {info->rate_hz, info->channels, GB_LOC_SACRUM, 16};
    gb_analyzer *an = NULL;
    int ok = gb_analyzer_create(&cfg.analysis, &in, &an) == 0;
    float buf[512 * 3];
    size_t got;
    /* bound the work per input: a fuzzer's tiny file may declare a long recording */
    for (int blocks = 0; blocks < 256; blocks++) {
      if (gb_source_read(src, buf, 512, &got) != 0 || got == 0) break;
      if (ok && gb_analyzer_push(an, buf, got) != 0) ok = 0;
    }
    gb_result *r = NULL;
    if (ok && gb_analyzer_finish(an, &r) == 0) gb_result_free(r);
    gb_analyzer_free(an);
  }
  gb_source_free(src);
  unlink(path);
  return 0;
}
