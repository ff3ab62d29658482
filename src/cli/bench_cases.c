#include "bench_cases.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_util.h"
#include "gaitbatch/synth.h"

int gb_bench_make_cases(const char *dir, int quick, gb_bench_case **cases_out, int *n_out)
{
  static const struct { const char *name; double rate, hours; } sizes[] = {
    {"1h_500hz", 500, 1.0}, {"24h_100hz", 100, 24.0}};
  static const gb_synth_format formats[] = {GB_SYNTH_FLAC16, GB_SYNTH_WAV_FLOAT, GB_SYNTH_CSV_G};
  int n = 0;
  gb_bench_case *cases = calloc(6, sizeof *cases);
  if (!cases) return -1;
  for (size_t s = 0; s < 2; s++)
    for (size_t f = 0; f < 3; f++) {
      gb_synth_spec spec;
      gb_synth_spec_init(&spec);
      spec.seed = 1000 + s * 10 + f;
      spec.sample_rate_hz = sizes[s].rate;
      spec.duration_s = quick ? 600 : sizes[s].hours * 3600;
      spec.location = GB_LOC_SACRUM;
      spec.channels = 3;
      spec.format = formats[f];
      spec.full_scale_g = 16;
      spec.cadence_spm = 168;
      char run_id[64], err[512];
      snprintf(run_id, sizeof run_id, "bench_%s%s_%s", quick ? "10min_" : "", sizes[s].name,
               gb_synth_format_ext(formats[f]));
      fprintf(stderr, "gaitbatch: bench: generating %s/%s.%s\n", dir, run_id,
              gb_synth_format_ext(formats[f]));
      if (gb_synth_run(&spec, dir, run_id, NULL, err, sizeof err) != 0) {
        gb_cli_error("bench: generating %s: %s", run_id, err);
        gb_bench_free_cases(cases, n);
        return -1;
      }
      gb_bench_case *c = &cases[n++];
      snprintf(c->path, sizeof c->path, "%s/%s.%s", dir, run_id, gb_synth_format_ext(formats[f]));
      snprintf(c->truth_dir, sizeof c->truth_dir, "%s/truth/%s", dir, run_id);
      c->location = GB_LOC_SACRUM;
      c->full_scale_g = 16;
    }
  *cases_out = cases;
  *n_out = n;
  return 0;
}

/* Removes the plain files of folder d, then d itself (gb_synth_run writes only
 * plain files there). */
static void remove_flat_dir(const char *d)
{
  DIR *dh = opendir(d);
  if (dh) {
    struct dirent *e;
    char p[8192];
    while ((e = readdir(dh)) != NULL) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
      snprintf(p, sizeof p, "%s/%s", d, e->d_name);
      unlink(p);
    }
    closedir(dh);
  }
  rmdir(d);
}

void gb_bench_remove_cases(const gb_bench_case *cases, int n)
{
  for (int i = 0; i < n; i++) {
    unlink(cases[i].path);
    if (!cases[i].truth_dir[0]) continue;
    remove_flat_dir(cases[i].truth_dir);
    char parent[4096];
    snprintf(parent, sizeof parent, "%s", cases[i].truth_dir);
    char *slash = strrchr(parent, '/');
    if (slash) {
      *slash = '\0';
      rmdir(parent); /* DIR/truth, once empty */
    }
  }
}

void gb_bench_free_cases(gb_bench_case *cases, int n)
{
  (void)n;
  free(cases);
}
