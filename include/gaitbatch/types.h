/* gaitbatch — small value types shared by every module: sensor location, units,
 * per-run metadata, and risk flags. */
#ifndef GAITBATCH_TYPES_H
#define GAITBATCH_TYPES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Where the sensor sits. It decides what the signal can tell: a shank (tibia) or
 * foot sensor sees its own leg's contacts at stride rate; trunk and sacrum sensors
 * see both legs and give posture; a wrist cannot tell the landing pattern. */
typedef enum gb_location {
  GB_LOC_UNKNOWN = 0,
  GB_LOC_TIBIA,
  GB_LOC_FOOT,
  GB_LOC_SACRUM,
  GB_LOC_TRUNK,
  GB_LOC_WRIST,
  GB_LOC_THIGH
} gb_location;

/* "tibia", "foot", ... ("unknown" for GB_LOC_UNKNOWN). */
const char *gb_location_name(gb_location loc);
/* Parses a location name (case-insensitive; "shank" is accepted for tibia,
 * "lowerback"/"lower_back" for sacrum). Returns GB_EINVAL for an unknown name. */
int gb_location_parse(const char *name, gb_location *out);
/* 1 for sensors that see one leg (tibia, foot, thigh), 0 otherwise. */
int gb_location_is_unilateral(gb_location loc);

/* Units of floating-point input samples. Integer PCM is always scaled by a full-scale
 * value in g. */
typedef enum gb_units { GB_UNITS_G = 0, GB_UNITS_MS2 = 1 } gb_units;
#define GB_STANDARD_GRAVITY 9.80665 /* m/s^2 per g (CGPM 1901) */
const char *gb_units_name(gb_units u);
int gb_units_parse(const char *name, gb_units *out); /* "g", "m/s2", "m/s^2", "mps2" */

#define GB_ID_MAX 128
#define GB_PATH_MAX 4096

/* Who and what a recording is. Filled from the manifest row or CLI options. */
typedef struct gb_run_meta {
  char run_id[GB_ID_MAX];    /* stable readable id: athlete + start, else file stem */
  char athlete[GB_ID_MAX];   /* "" when unknown */
  char start_iso[40];        /* ISO 8601 start of the recording, "" when unknown */
  char path[GB_PATH_MAX];    /* input path as given */
  gb_location location;
  gb_units units;
  double full_scale_g;       /* sensor range (±g); 0 when unknown */
  double sample_rate_hz;     /* filled by the source */
  int channels;              /* 1 (long axis) or 3 (x, y, z); filled by the source */
  /* Extra manifest columns, kept verbatim as "key=value\n" lines (may be NULL). */
  char *extra;
} gb_run_meta;

/* Zero the struct and set defaults (location unknown, units g). */
void gb_run_meta_init(gb_run_meta *m);
/* Frees m->extra; the struct itself is the caller's. */
void gb_run_meta_clear(gb_run_meta *m);

typedef enum gb_severity { GB_SEV_INFO = 0, GB_SEV_WARN = 1, GB_SEV_HIGH = 2 } gb_severity;
const char *gb_severity_name(gb_severity s);

#define GB_FLAG_CODE_MAX 32
#define GB_FLAG_MSG_MAX 200

/* One risk flag (DESIGN §7): what was seen, when, how strongly, against which
 * threshold, in words a coach can act on. t_start_s/t_end_s are seconds from the
 * start of the run for run flags and days since 1970-01-01 for load flags. */
typedef struct gb_flag {
  char code[GB_FLAG_CODE_MAX];   /* e.g. "impact.high" */
  gb_severity severity;
  double t_start_s, t_end_s;
  double value, threshold;
  char message[GB_FLAG_MSG_MAX];
} gb_flag;

#ifdef __cplusplus
}
#endif
#endif
