/* Internal: the on-disk layout of the report tables (DESIGN §8, §14).
 *
 * Each table is a 1-D compound dataset. A table is described once, as a list of
 * fields (name, kind, offset in its in-memory row struct, string width, units), and
 * that one description drives writing, reading, the `columns`/`units` attributes
 * and the generic CSV/JSON printing of `gaitbatch show`. Text fields are fixed-width,
 * NUL-padded UTF-8 strings of the documented width (h5py/pandas read them as bytes
 * columns); numbers are little-endian IEEE floats and two's-complement integers. */
#ifndef GB_REPORT_SCHEMA_H
#define GB_REPORT_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "gaitbatch/analyzer.h"
#include "gaitbatch/load.h"
#include "gaitbatch/report.h"

typedef enum rp_kind { RP_F64, RP_F32, RP_I64, RP_I32, RP_I8, RP_STR } rp_kind;

typedef struct rp_field {
  const char *name;
  rp_kind kind;
  size_t offset;     /* in the row struct */
  size_t width;      /* RP_STR: bytes on disk == char array size in the row struct */
  const char *units; /* "1" dimensionless, "" text */
} rp_field;

typedef struct rp_table {
  const char *name;  /* dataset name, for messages */
  const rp_field *fields;
  size_t n_fields;
  size_t row_size;
} rp_table;

/* String widths on disk (bytes, NUL-padded; a string of exactly this length has no NUL). */
#define RP_W_CODE 32      /* flag code */
#define RP_W_SEV 8        /* "info" | "warn" | "high" */
#define RP_W_MSG 200      /* flag message */
#define RP_W_ID 128       /* run_id, athlete */
#define RP_W_START 40     /* ISO 8601 start */
#define RP_W_LABEL 16     /* location, landing pattern, bout kind, run status */
#define RP_W_EVENT 24     /* event kind */
#define RP_W_PATH 1024    /* input paths in /runs and /errors */
#define RP_W_RELPATH 256  /* per-run report path relative to the summary */
#define RP_W_HASH 16      /* 16 hex digits */
#define RP_W_ERRMSG 512   /* /errors message */
#define RP_W_DATE 10      /* "YYYY-MM-DD" */
#define RP_W_WEEK 8       /* "2026-W47" */

/* /summary of a run report: one row. */
typedef struct rp_summary_row {
  double duration_s, sample_rate_hz;
  char location[RP_W_LABEL];
  float cadence_mean_spm, cadence_median_spm, cadence_cv;
  int32_t n_steps;
  float pta_mean_g, pta_p95_g, loading_rate_mean_gps, rearfoot_share;
  char landing_pattern[RP_W_LABEL];
  float landing_confidence, trunk_lean_deg, trunk_lean_drift_deg, vertical_oscillation_cm,
      contact_time_ms, asymmetry_pct, impact_cv, clipped_share;
  double running_s, walking_s, still_s, cumulative_impact_g;
  int32_t impact_available;
} rp_summary_row;

typedef struct rp_step_row {
  double t_s;
  float peak_g, loading_rate_gps, time_to_peak_ms, impact_ratio, contact_time_ms,
      vertical_osc_cm;
  int8_t landing, clipped, side, bout_kind;
} rp_step_row;

typedef struct rp_bout_row {
  double t_start_s, t_end_s;
  char kind[RP_W_LABEL];
  int32_t n_steps;
  float cadence_spm;
} rp_bout_row;

typedef struct rp_event_row {
  double t_start_s, t_end_s;
  char kind[RP_W_EVENT];
  float value, reference;
} rp_event_row;

typedef struct rp_flag_row {
  char code[RP_W_CODE];
  char severity[RP_W_SEV];
  double t_start_s, t_end_s, value, threshold;
  char message[RP_W_MSG];
} rp_flag_row;

/* summary.h5 /flags */
typedef struct rp_sflag_row {
  char run_id[RP_W_ID];
  char athlete[RP_W_ID];
  char code[RP_W_CODE];
  char severity[RP_W_SEV];
  double t_start_s, t_end_s, value, threshold;
  char message[RP_W_MSG];
} rp_sflag_row;

/* summary.h5 /runs */
typedef struct rp_run_row {
  char run_id[RP_W_ID];
  char athlete[RP_W_ID];
  char start[RP_W_START];
  char location[RP_W_LABEL];
  char path[RP_W_PATH];
  char report[RP_W_RELPATH];
  char status[RP_W_LABEL];
  int32_t reanalysed;
  rp_summary_row s; /* every summary metric (fields listed flat in the table) */
  int32_t n_flags_info, n_flags_warn, n_flags_high;
  char input_hash[RP_W_HASH];
  char config_hash[RP_W_HASH];
  int32_t analysis_version;
  int32_t channels;
  double full_scale_g;
} rp_run_row;

typedef struct rp_error_row {
  char path[RP_W_PATH];
  char message[RP_W_ERRMSG];
} rp_error_row;

typedef struct rp_daily_row {
  int64_t day;
  char date[RP_W_DATE];
  double duration_s, steps, impact, load;
  double acute_rolling, chronic_rolling, acwr_rolling;
  double acute_ewma, chronic_ewma, acwr_ewma;
  int32_t base_established;
} rp_daily_row;

typedef struct rp_weekly_row {
  int32_t iso_year, iso_week;
  char week[RP_W_WEEK];
  int32_t n_sessions;
  double duration_s, steps, impact, load, change_pct, change_2wk_pct;
  int32_t base_established;
} rp_weekly_row;

extern const rp_table rp_tab_summary, rp_tab_cadence, rp_tab_steps, rp_tab_bouts,
    rp_tab_events, rp_tab_flags, rp_tab_sflags, rp_tab_runs, rp_tab_errors, rp_tab_daily,
    rp_tab_weekly;

/* Enumerations stored as text. Unknown numbers are written as their decimal value
 * so that every value round-trips. */
void rp_landing_pattern_text(int32_t v, char *buf, size_t len);
int32_t rp_landing_pattern_parse(const char *s);
void rp_bout_kind_text(int32_t v, char *buf, size_t len);
int32_t rp_bout_kind_parse(const char *s);
void rp_event_kind_text(int32_t v, char *buf, size_t len);
int32_t rp_event_kind_parse(const char *s);
void rp_location_text(int32_t v, char *buf, size_t len);
int32_t rp_location_parse(const char *s);
void rp_severity_text(int32_t v, char *buf, size_t len);
int32_t rp_severity_parse(const char *s);
extern const char *rp_landing_labels[3];   /* index = gb_landing; after rp_labels_init() */
extern const char *rp_bout_kind_labels[4]; /* index = gb_bout_kind; after rp_labels_init() */
void rp_labels_init(void);

/* Copy a C string into a fixed-width field: zero-filled, truncated to width. */
void rp_put_str(char *dst, size_t width, const char *src);
/* Copy a fixed-width field out into a C string buffer of dstlen bytes. */
void rp_get_str(char *dst, size_t dstlen, const char *src, size_t width);

/* gb_summary <-> its /summary row. */
void rp_summary_to_row(const gb_summary *s, rp_summary_row *r);
void rp_summary_from_row(const rp_summary_row *r, gb_summary *s);

#endif
