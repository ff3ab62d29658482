#include "print_summary.h"

#include <math.h>

#include "cli_util.h"

void gb_cli_print_summary_header(FILE *f)
{
  fprintf(f, "%-28s %9s %8s %7s %7s %8s %-9s %5s  %s\n", "run_id", "duration", "cadence", "steps",
          "pta_g", "lean_deg", "landing", "flags", "report");
}

static void num(FILE *f, double v, int width, int prec)
{
  if (isfinite(v))
    fprintf(f, "%*.*f", width, prec, v);
  else
    fprintf(f, "%*s", width, "-");
}

void gb_cli_print_summary_row(FILE *f, const char *run_id, const gb_summary *s, size_t n_flags,
                              const char *report)
{
  fprintf(f, "%-28s ", run_id);
  num(f, s->duration_s, 8, 1);
  fputc('s', f);
  fputc(' ', f);
  num(f, s->cadence_median_spm, 8, 1);
  fprintf(f, " %7d ", (int)s->n_steps);
  num(f, s->pta_mean_g, 7, 2);
  fputc(' ', f);
  num(f, s->trunk_lean_deg, 8, 1);
  fprintf(f, " %-9s %5zu  %s\n", gb_landing_pattern_name((gb_landing_pattern)s->landing_pattern),
          n_flags, report ? report : "");
}

static void jnum(FILE *f, const char *key, double v)
{
  fprintf(f, ",\"%s\":", key);
  if (isfinite(v))
    fprintf(f, "%.10g", v);
  else
    fputs("null", f);
}

void gb_cli_print_summary_json(FILE *f, const char *run_id, const gb_summary *s,
                               const gb_flag *flags, size_t n_flags, const char *report)
{
  fputs("{\"run_id\":", f);
  gb_cli_json_string(f, run_id);
  fputs(",\"report\":", f);
  gb_cli_json_string(f, report ? report : "");
  fputs(",\"location\":", f);
  gb_cli_json_string(f, gb_location_name((gb_location)s->location));
  jnum(f, "duration_s", s->duration_s);
  jnum(f, "sample_rate_hz", s->sample_rate_hz);
  jnum(f, "cadence_mean_spm", s->cadence_mean_spm);
  jnum(f, "cadence_median_spm", s->cadence_median_spm);
  jnum(f, "n_steps", s->n_steps);
  jnum(f, "pta_mean_g", s->pta_mean_g);
  jnum(f, "pta_p95_g", s->pta_p95_g);
  jnum(f, "loading_rate_mean_gps", s->loading_rate_mean_gps);
  jnum(f, "rearfoot_share", s->rearfoot_share);
  fputs(",\"landing_pattern\":", f);
  gb_cli_json_string(f, gb_landing_pattern_name((gb_landing_pattern)s->landing_pattern));
  jnum(f, "landing_confidence", s->landing_confidence);
  jnum(f, "trunk_lean_deg", s->trunk_lean_deg);
  jnum(f, "vertical_oscillation_cm", s->vertical_oscillation_cm);
  jnum(f, "contact_time_ms", s->contact_time_ms);
  jnum(f, "asymmetry_pct", s->asymmetry_pct);
  jnum(f, "clipped_share", s->clipped_share);
  jnum(f, "running_s", s->running_s);
  jnum(f, "walking_s", s->walking_s);
  jnum(f, "still_s", s->still_s);
  fputs(",\"flags\":[", f);
  for (size_t i = 0; i < n_flags; i++) {
    if (i) fputc(',', f);
    fputs("{\"code\":", f);
    gb_cli_json_string(f, flags[i].code);
    fputs(",\"severity\":", f);
    gb_cli_json_string(f, gb_severity_name(flags[i].severity));
    fputs(",\"message\":", f);
    gb_cli_json_string(f, flags[i].message);
    fputc('}', f);
  }
  fputs("]}\n", f);
}
