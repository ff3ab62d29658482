/* gaitbatch synth -o DIR (--run | --suite | --athletes N --weeks W): recordings of a modelled
 * runner with their ground truth (see include/gaitbatch/synth.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli_util.h"
#include "commands.h"
#include "gaitbatch/status.h"
#include "gaitbatch/synth.h"

static void usage(FILE *f)
{
  fprintf(f,
          "Usage: gaitbatch synth -o DIR --run [options]          one recording + truth\n"
          "       gaitbatch synth -o DIR --suite [--seed S]       the standard evaluation suite\n"
          "       gaitbatch synth -o DIR --athletes N --weeks W [options]   a training cohort\n\n"
          "Writes DIR/manifest.csv, DIR/<run_id>.<wav|flac|csv> and DIR/truth/<run_id>/\n"
          "(steps, cadence, events, run, flags .csv); cohorts also DIR/truth/load_flags.csv.\n"
          "Same options and seed give identical bytes.\n\n"
          "Common options:\n"
          "  -o, --output DIR        output folder (created)\n"
          "  --seed S                random seed (default 1)\n"
          "  --rate HZ               sample rate 50..2000 (default 500; cohort 100)\n"
          "  --format F              wav-float-g | flac16 | csv-g | csv-ms2 (default wav-float-g; cohort flac16)\n"
          "  --location L            tibia | foot | sacrum | trunk | wrist (default tibia;\n"
          "                          cohort: sacrum for the leaning runner, else tibia)\n"
          "  --channels 1|3          3 = x (AP), y (ML), z (vertical); 1 = z only (default 3)\n"
          "  --full-scale G          sensor range, clipping at +-G on each axis (default 16)\n"
          "  --noise G               white noise SD per axis (default 0.02)\n"
          "Single run (--run):\n"
          "  --minutes M             duration (default 10)\n"
          "  --scenario LIST         comma-separated: steady surges fatigue heel lean stop walkrun\n"
          "                          nowarmup irregular asym (default steady)\n"
          "  --run-id ID             run id (default synth_<scenario>)\n"
          "  --cadence SPM           steady running cadence (default 170)\n"
          "  --rearfoot-share P      share of rearfoot strikes 0..1 (default 0.1)\n"
          "  --impact G              tibial peak of a rearfoot strike (default 6)\n"
          "  --lean DEG, --lean-drift DEG   forward trunk lean and its drift (default 8, 0)\n"
          "  --asymmetry PCT         left/right impact asymmetry (default 0)\n"
          "  --orientation R,P,Y     sensor mounting rotation in degrees (default 0,0,0)\n"
          "  --warmup S              warm-up ramp length (default 120; 0 = none)\n"
          "  --side 0|1              leg of a tibia/foot sensor (default 0)\n"
          "Cohort (--athletes N --weeks W):\n"
          "  --minutes-scale X       session minutes -> recording minutes (default 0.05)\n"
          "  -q, --quiet / -v, --verbose\n"
          "  -h, --help\n");
}

static int parse_orientation(const char *s, double out[3])
{
  char *end;
  for (int i = 0; i < 3; i++) {
    out[i] = strtod(s, &end);
    if (end == s) return -1;
    s = end;
    if (i < 2) {
      if (*s != ',') return -1;
      s++;
    }
  }
  return *s == '\0' ? 0 : -1;
}

int gb_cmd_synth(int argc, char **argv)
{
  enum {
    OPT_RUN = 256, OPT_SUITE, OPT_ATHLETES, OPT_WEEKS, OPT_SEED, OPT_RATE, OPT_FORMAT, OPT_LOCATION,
    OPT_CHANNELS, OPT_FULL, OPT_NOISE, OPT_MINUTES, OPT_SCALE, OPT_SCENARIO, OPT_RUN_ID, OPT_CADENCE,
    OPT_RF, OPT_IMPACT, OPT_LEAN, OPT_DRIFT, OPT_ASYM, OPT_ORIENT, OPT_WARMUP, OPT_SIDE
  };
  static const struct option longopts[] = {
    {"output", required_argument, NULL, 'o'},    {"run", no_argument, NULL, OPT_RUN},
    {"suite", no_argument, NULL, OPT_SUITE},      {"athletes", required_argument, NULL, OPT_ATHLETES},
    {"weeks", required_argument, NULL, OPT_WEEKS}, {"seed", required_argument, NULL, OPT_SEED},
    {"rate", required_argument, NULL, OPT_RATE},  {"format", required_argument, NULL, OPT_FORMAT},
    {"location", required_argument, NULL, OPT_LOCATION}, {"channels", required_argument, NULL, OPT_CHANNELS},
    {"full-scale", required_argument, NULL, OPT_FULL}, {"noise", required_argument, NULL, OPT_NOISE},
    {"minutes", required_argument, NULL, OPT_MINUTES}, {"minutes-scale", required_argument, NULL, OPT_SCALE},
    {"scenario", required_argument, NULL, OPT_SCENARIO}, {"run-id", required_argument, NULL, OPT_RUN_ID},
    {"cadence", required_argument, NULL, OPT_CADENCE}, {"rearfoot-share", required_argument, NULL, OPT_RF},
    {"impact", required_argument, NULL, OPT_IMPACT}, {"lean", required_argument, NULL, OPT_LEAN},
    {"lean-drift", required_argument, NULL, OPT_DRIFT}, {"asymmetry", required_argument, NULL, OPT_ASYM},
    {"orientation", required_argument, NULL, OPT_ORIENT}, {"warmup", required_argument, NULL, OPT_WARMUP},
    {"side", required_argument, NULL, OPT_SIDE},  {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},           {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};
  const char *out = NULL, *scenario = NULL, *run_id = NULL;
  int mode_run = 0, mode_suite = 0;
  long athletes = 0, weeks = 0;
  gb_synth_spec spec;
  gb_synth_spec_init(&spec);
  gb_synth_cohort coh;
  gb_synth_cohort_init(&coh);
  /* options given explicitly (cohort and run defaults differ) */
  int have_rate = 0, have_format = 0, have_loc = 0, have_minutes = 0;
  double minutes = 10, rate = 0, v;
  long l;
  gb_synth_format fmt = GB_SYNTH_WAV_FLOAT;
  gb_location loc = GB_LOC_TIBIA;
  /* settings applied after the scenario (explicit options win over scenario presets) */
  struct { int set; double v; } cad = {0, 0}, rf = {0, 0}, imp = {0, 0}, lean = {0, 0}, drift = {0, 0},
                                  asym = {0, 0}, warm = {0, 0};
  int have_orient = 0;
  double orient[3] = {0, 0, 0};

  optind = 1;
  int c;
  while ((c = getopt_long(argc, argv, "o:qvh", longopts, NULL)) != -1) {
    switch (c) {
    case 'o': out = optarg; break;
    case 'q': gb_cli_verbosity = 0; break;
    case 'v': gb_cli_verbosity = 2; break;
    case 'h': usage(stdout); return GB_EXIT_OK;
    case OPT_RUN: mode_run = 1; break;
    case OPT_SUITE: mode_suite = 1; break;
    case OPT_ATHLETES:
      if (gb_cli_parse_int("--athletes", optarg, 1, 999, &athletes)) return GB_EXIT_USAGE;
      break;
    case OPT_WEEKS:
      if (gb_cli_parse_int("--weeks", optarg, 1, 520, &weeks)) return GB_EXIT_USAGE;
      break;
    case OPT_SEED: {
      char *end;
      unsigned long long s = strtoull(optarg, &end, 10);
      if (end == optarg || *end || optarg[0] == '-') {
        gb_cli_error("--seed '%s': expected a non-negative integer", optarg);
        return GB_EXIT_USAGE;
      }
      spec.seed = coh.seed = (uint64_t)s;
      break;
    }
    case OPT_RATE:
      if (gb_cli_parse_double("--rate", optarg, 50, 2000, &rate)) return GB_EXIT_USAGE;
      have_rate = 1;
      break;
    case OPT_FORMAT:
      if (gb_synth_format_parse(optarg, &fmt)) {
        gb_cli_error("--format '%s': expected wav-float-g, flac16, csv-g or csv-ms2", optarg);
        return GB_EXIT_USAGE;
      }
      have_format = 1;
      break;
    case OPT_LOCATION:
      if (gb_location_parse(optarg, &loc) || loc == GB_LOC_UNKNOWN || loc == GB_LOC_THIGH) {
        gb_cli_error("--location '%s': expected tibia, foot, sacrum, trunk or wrist", optarg);
        return GB_EXIT_USAGE;
      }
      have_loc = 1;
      break;
    case OPT_CHANNELS:
      if (gb_cli_parse_int("--channels", optarg, 1, 3, &l)) return GB_EXIT_USAGE;
      if (l == 2) {
        gb_cli_error("--channels 2: expected 1 or 3");
        return GB_EXIT_USAGE;
      }
      spec.channels = coh.channels = (int)l;
      break;
    case OPT_FULL:
      if (gb_cli_parse_double("--full-scale", optarg, 1, 1000, &v)) return GB_EXIT_USAGE;
      spec.full_scale_g = coh.full_scale_g = v;
      break;
    case OPT_NOISE:
      if (gb_cli_parse_double("--noise", optarg, 0, 5, &v)) return GB_EXIT_USAGE;
      spec.noise_g = coh.noise_g = v;
      break;
    case OPT_MINUTES:
      if (gb_cli_parse_double("--minutes", optarg, 1.0 / 60.0, 7 * 24 * 60, &minutes)) return GB_EXIT_USAGE;
      have_minutes = 1;
      break;
    case OPT_SCALE:
      if (gb_cli_parse_double("--minutes-scale", optarg, 0.001, 1, &coh.minutes_scale)) return GB_EXIT_USAGE;
      break;
    case OPT_SCENARIO: scenario = optarg; break;
    case OPT_RUN_ID: run_id = optarg; break;
    case OPT_CADENCE:
      if (gb_cli_parse_double("--cadence", optarg, 120, 240, &cad.v)) return GB_EXIT_USAGE;
      cad.set = 1;
      break;
    case OPT_RF:
      if (gb_cli_parse_double("--rearfoot-share", optarg, 0, 1, &rf.v)) return GB_EXIT_USAGE;
      rf.set = 1;
      break;
    case OPT_IMPACT:
      if (gb_cli_parse_double("--impact", optarg, 1.2, 60, &imp.v)) return GB_EXIT_USAGE;
      imp.set = 1;
      break;
    case OPT_LEAN:
      if (gb_cli_parse_double("--lean", optarg, -60, 60, &lean.v)) return GB_EXIT_USAGE;
      lean.set = 1;
      break;
    case OPT_DRIFT:
      if (gb_cli_parse_double("--lean-drift", optarg, -30, 30, &drift.v)) return GB_EXIT_USAGE;
      drift.set = 1;
      break;
    case OPT_ASYM:
      if (gb_cli_parse_double("--asymmetry", optarg, 0, 60, &asym.v)) return GB_EXIT_USAGE;
      asym.set = 1;
      break;
    case OPT_WARMUP:
      if (gb_cli_parse_double("--warmup", optarg, 0, 86400, &warm.v)) return GB_EXIT_USAGE;
      warm.set = 1;
      break;
    case OPT_ORIENT:
      if (parse_orientation(optarg, orient)) {
        gb_cli_error("--orientation '%s': expected ROLL,PITCH,YAW in degrees", optarg);
        return GB_EXIT_USAGE;
      }
      have_orient = 1;
      break;
    case OPT_SIDE:
      if (gb_cli_parse_int("--side", optarg, 0, 1, &l)) return GB_EXIT_USAGE;
      spec.sensor_side = (int)l;
      break;
    default:
      gb_cli_error("see 'gaitbatch synth --help'");
      return GB_EXIT_USAGE;
    }
  }
  if (optind < argc) {
    gb_cli_error("unexpected argument '%s' (see 'gaitbatch synth --help')", argv[optind]);
    return GB_EXIT_USAGE;
  }
  if (!out) {
    gb_cli_error("-o DIR is required (see 'gaitbatch synth --help')");
    return GB_EXIT_USAGE;
  }
  int mode_cohort = athletes > 0 || weeks > 0;
  if (mode_run + mode_suite + mode_cohort != 1) {
    gb_cli_error("choose exactly one of --run, --suite, or --athletes N --weeks W");
    return GB_EXIT_USAGE;
  }
  if (mode_cohort && (athletes == 0 || weeks == 0)) {
    gb_cli_error("a cohort needs both --athletes N and --weeks W");
    return GB_EXIT_USAGE;
  }
  if (mode_suite && (have_rate || have_format || have_loc)) {
    gb_cli_error("--suite is a fixed set of runs: --rate, --format and --location do not apply");
    return GB_EXIT_USAGE;
  }
  if (!mode_run && (scenario || run_id || have_minutes || cad.set || rf.set || imp.set || lean.set ||
                    drift.set || asym.set || warm.set || have_orient)) {
    gb_cli_error("--scenario, --run-id, --minutes and the runner options apply to --run only");
    return GB_EXIT_USAGE;
  }
  char id[160] = "";
  if (mode_run) {
    if (have_rate) spec.sample_rate_hz = rate;
    if (have_format) spec.format = fmt;
    spec.location = loc;
    spec.duration_s = minutes * 60.0;
    char name[64] = "steady";
    if (scenario) {
      const char *p = scenario;
      while (*p) {
        size_t n = strcspn(p, ",");
        char one[32];
        if (n == 0 || n >= sizeof one) {
          gb_cli_error("--scenario '%s': expected a comma-separated list of names", scenario);
          return GB_EXIT_USAGE;
        }
        memcpy(one, p, n);
        one[n] = '\0';
        if (gb_synth_apply_scenario(&spec, one)) {
          gb_cli_error("--scenario '%s': unknown (expected steady, surges, fatigue, heel, lean, stop, "
                       "walkrun, nowarmup, irregular, asym)", one);
          return GB_EXIT_USAGE;
        }
        p += n;
        if (*p == ',') p++;
      }
      snprintf(name, sizeof name, "%s", scenario);
      for (char *q = name; *q; q++)
        if (*q == ',') *q = '+';
      size_t nl = strlen(name);
      if (nl >= sizeof spec.scenario) nl = sizeof spec.scenario - 1;
      memcpy(spec.scenario, name, nl);
      spec.scenario[nl] = '\0';
    }
    if (cad.set) spec.cadence_spm = cad.v;
    if (rf.set) spec.rearfoot_share = rf.v;
    if (imp.set) spec.impact_g = imp.v;
    if (lean.set) spec.trunk_lean_deg = lean.v;
    if (drift.set) spec.trunk_lean_drift_deg = drift.v;
    if (asym.set) spec.asymmetry_pct = asym.v;
    if (warm.set) spec.warmup_s = warm.v;
    if (have_orient) memcpy(spec.orient_deg, orient, sizeof orient);
    if (run_id) snprintf(id, sizeof id, "%s", run_id);
    else {
      snprintf(id, sizeof id, "synth_%s", spec.scenario);
      for (char *q = id; *q; q++)
        if (*q == '+') *q = '_';
    }
    if (strchr(id, '/') || id[0] == '.' || id[0] == '\0') {
      gb_cli_error("--run-id '%s': expected a plain name (no '/', not starting with '.')", id);
      return GB_EXIT_USAGE;
    }
    char cerr[256];
    if (gb_synth_spec_check(&spec, cerr, sizeof cerr)) {
      gb_cli_error("%s", cerr);
      return GB_EXIT_USAGE;
    }
  }
  if (gb_cli_mkdirs(out)) {
    gb_cli_error("%s: cannot create the output folder", out);
    return GB_EXIT_NOTHING;
  }
  char err[512] = "";
  int st;
  clock_t t0 = clock();
  if (mode_suite) {
    int64_t n = 0;
    st = gb_synth_suite(out, spec.seed, &n, err, sizeof err);
    if (st) {
      gb_cli_error("%s", err);
      return GB_EXIT_NOTHING;
    }
    gb_cli_info("suite: %lld runs in %s", (long long)n, out);
  } else if (mode_cohort) {
    coh.athletes = (int)athletes;
    coh.weeks = (int)weeks;
    if (have_rate) coh.sample_rate_hz = rate;
    if (have_format) coh.format = fmt;
    if (have_loc) coh.location = loc;
    int64_t n = 0;
    st = gb_synth_cohort_write(&coh, out, &n, err, sizeof err);
    if (st) {
      gb_cli_error("%s", err);
      return GB_EXIT_NOTHING;
    }
    gb_cli_info("cohort: %lld runs in %s", (long long)n, out);
  } else {
    gb_synth_result res;
    st = gb_synth_single(&spec, out, id, &res, err, sizeof err);
    if (st) {
      gb_cli_error("%s", err);
      return st == GB_EINVAL || st == GB_EUNSUPPORTED ? GB_EXIT_USAGE : GB_EXIT_NOTHING;
    }
    gb_cli_info("%s: %.0f s, %lld steps, cadence %.1f spm, rearfoot %.2f, PTA %.2f g", id, res.duration_s,
                (long long)res.n_steps, res.cadence_mean_spm, res.rearfoot_share, res.pta_mean_g);
  }
  gb_cli_info("done in %.2f s CPU", (double)(clock() - t0) / CLOCKS_PER_SEC);
  return GB_EXIT_OK;
}
