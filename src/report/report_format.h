/* Internal: printing of report rows as CSV, JSON and text, driven by the table
 * descriptions of report_schema.h. Numbers are printed in the C locale with the
 * fewest digits that read back to the same value; NaN is "nan" in CSV and null in JSON. */
#ifndef GB_REPORT_FORMAT_H
#define GB_REPORT_FORMAT_H

#include <stdio.h>

#include "report/report_schema.h"

void rp_json_str(FILE *out, const char *s);
void rp_json_strn(FILE *out, const char *s, size_t width);
void rp_json_f64(FILE *out, double v);
void rp_print_f64(FILE *out, double v);  /* shortest round-trip, "nan", "inf" */
void rp_print_f32(FILE *out, float v);
/* {"field": value, ...} */
void rp_row_json(FILE *out, const rp_table *t, const void *row);
/* [row, row, ...] */
void rp_rows_json(FILE *out, const rp_table *t, const void *rows, size_t n);
void rp_csv_header(FILE *out, const rp_table *t, int leading_comma);
void rp_row_csv(FILE *out, const rp_table *t, const void *row, int leading_comma);
void rp_csv_str(FILE *out, const char *s, size_t width);
/* "n/a" for NaN, else the value with `decimals` decimals and " unit" when unit is set. */
void rp_text_num(FILE *out, double v, int decimals, const char *unit);

#endif
