/* Fuzz target: a recording through gb_source_open/read and the analyzer.
 * Built twice: FUZZ_CSV forces the CSV reader, otherwise the libsndfile path.
 * The file is first opened as a batch would without options (so the OpenMovement
 * Scale-N comment, the fullscale_g comment and the CSV time column are exercised);
 * when that is refused as an invalid request (integer PCM without a full scale, CSV
 * without a time column) it is reopened with --full-scale 16 and a declared rate
 * (100 Hz, 1 kHz, or one out of range, as a library caller could pass). The sensor
 * site and the rate come from the input size, so every combination is reached. */
#include <stdlib.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "gaitbatch/analyzer.h"
#include "gaitbatch/config.h"
#include "gaitbatch/source.h"
#include "gaitbatch/status.h"

/* Bounds the work per input: a tiny compressed file may hold a long recording, and
 * a tiny file at a very low rate (1 Hz) is hours of recording, each second costing
 * the analyzer one cadence window whatever the rate. */
#define FUZZ_MAX_BLOCKS 128
#define FUZZ_BLOCK_FRAMES 512
#define FUZZ_MAX_SECONDS 300.0

static void analyse(gb_source *src, size_t size)
{
  static const gb_location sites[] = {GB_LOC_SACRUM, GB_LOC_TIBIA, GB_LOC_WRIST, GB_LOC_UNKNOWN};
  const gb_source_info *info = gb_source_get_info(src);
  gb_config cfg;
  gb_config_defaults(&cfg);
  gb_analyzer_input in = {info->rate_hz, info->channels, sites[size % 4], info->full_scale_g};
  gb_analyzer *an = NULL;
  int ok = gb_analyzer_create(&cfg.analysis, &in, &an) == 0;
  float buf[FUZZ_BLOCK_FRAMES * 3];
  size_t got;
  double left = info->rate_hz * FUZZ_MAX_SECONDS; /* frames still to analyse */
  for (int blocks = 0; blocks < FUZZ_MAX_BLOCKS && left >= 1; blocks++) {
    size_t want = left < FUZZ_BLOCK_FRAMES ? (size_t)left : FUZZ_BLOCK_FRAMES;
    if (gb_source_read(src, buf, want, &got) != 0 || got == 0) break;
    left -= (double)got;
    if (ok && gb_analyzer_push(an, buf, got) != 0) ok = 0;
  }
  gb_result *r = NULL;
  if (ok && gb_analyzer_finish(an, &r) == 0) gb_result_free(r);
  gb_analyzer_free(an);
}

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
  gb_source *src = NULL;
  int rc = gb_source_open(path, &o, &src);
  if (rc == GB_EINVAL) {
    gb_source_free(src);
    src = NULL;
    o.full_scale_g = 16;
    static const double rates[] = {100, 1000, 1e9, 1e-3};
    o.rate_hz = rates[(size / 4) % 4];
    rc = gb_source_open(path, &o, &src);
  }
  if (rc == 0) analyse(src, size);
  gb_source_free(src);
  unlink(path);
  return 0;
}
