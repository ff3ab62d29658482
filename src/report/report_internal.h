/* Internal: helpers shared by the run report, summary and show code of src/report. */
#ifndef GB_REPORT_INTERNAL_H
#define GB_REPORT_INTERNAL_H

#include <hdf5.h>
#include <stddef.h>

#include "gaitbatch/report.h"
#include "report/report_schema.h"

/* Root attributes every report carries: schema, schema_version, generator (NULL or ""
 * → "gaitbatch <version>"), hdf5_version, fftw_version, sndfile_version, created. */
int rp_write_common_attrs(hid_t root, const char *schema, const char *generator,
                          const char *created);

void rp_flag_to_row(const gb_flag *f, rp_flag_row *r);
void rp_flag_from_row(const rp_flag_row *r, gb_flag *f);

/* Reads a 1-D string-array attribute into malloc'd copies (free with rp_strs_free). */
int rp_attr_read_strs(hid_t obj, const char *name, char ***out, size_t *n);
void rp_strs_free(char **s, size_t n);

/* Days since 1970-01-01 of the "YYYY-MM-DD" prefix of an ISO 8601 text; 0 ok, -1 if
 * the text does not start with a date. */
int rp_iso_day(const char *iso, long *day);

/* "YYYY-MM-DD" of a day number (days since 1970-01-01). */
void rp_day_text(long day, char *buf, size_t len);

/* Name of the group of an athlete under /athletes: bytes other than [A-Za-z0-9_-]
 * become '_', "" becomes "_unknown". */
void rp_sanitize_name(const char *in, char *out, size_t outlen);

/* Calls cb for every group under /athletes of an open summary, with the athlete's
 * original id (its `athlete` attribute). Stops at the first non-zero return. */
typedef int (*rp_athlete_cb)(hid_t group, const char *athlete, void *ctx);
int rp_summary_athletes(hid_t file, rp_athlete_cb cb, void *ctx);
/* Reads daily and weekly tables of one athlete group (malloc'd; free()). */
int rp_read_load(hid_t group, gb_daily_row **daily, size_t *nd, gb_weekly_row **weekly,
                 size_t *nw);

#endif
