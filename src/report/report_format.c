/* Row printing for `gaitbatch show` (see report_format.h). */
#include "report/report_format.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void rp_print_f64(FILE *out, double v)
{
  if (isnan(v)) {
    fputs("nan", out);
    return;
  }
  if (isinf(v)) {
    fputs(v > 0 ? "inf" : "-inf", out);
    return;
  }
  char buf[40];
  for (int p = 6; p <= 17; p++) {
    snprintf(buf, sizeof buf, "%.*g", p, v);
    if (strtod(buf, NULL) == v) break;
  }
  fputs(buf, out);
}

void rp_print_f32(FILE *out, float v)
{
  if (isnan(v) || isinf(v)) {
    rp_print_f64(out, v);
    return;
  }
  char buf[40];
  for (int p = 6; p <= 9; p++) {
    snprintf(buf, sizeof buf, "%.*g", p, (double)v);
    if (strtof(buf, NULL) == v) break;
  }
  fputs(buf, out);
}

void rp_json_f64(FILE *out, double v)
{
  if (isnan(v) || isinf(v))
    fputs("null", out);
  else
    rp_print_f64(out, v);
}

void rp_json_strn(FILE *out, const char *s, size_t width)
{
  fputc('"', out);
  for (size_t i = 0; i < width && s[i]; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
    case '"': fputs("\\\"", out); break;
    case '\\': fputs("\\\\", out); break;
    case '\n': fputs("\\n", out); break;
    case '\r': fputs("\\r", out); break;
    case '\t': fputs("\\t", out); break;
    default:
      if (c < 0x20)
        fprintf(out, "\\u%04x", c);
      else
        fputc(c, out);
    }
  }
  fputc('"', out);
}

void rp_json_str(FILE *out, const char *s) { rp_json_strn(out, s ? s : "", (size_t)-1); }

static void field_json(FILE *out, const rp_field *f, const void *row)
{
  const char *p = (const char *)row + f->offset;
  switch (f->kind) {
  case RP_F64: { double v; memcpy(&v, p, sizeof v); rp_json_f64(out, v); break; }
  case RP_F32: {
    float v;
    memcpy(&v, p, sizeof v);
    if (isnan(v) || isinf(v)) fputs("null", out);
    else rp_print_f32(out, v);
    break;
  }
  case RP_I64: { int64_t v; memcpy(&v, p, sizeof v); fprintf(out, "%" PRId64, v); break; }
  case RP_I32: { int32_t v; memcpy(&v, p, sizeof v); fprintf(out, "%" PRId32, v); break; }
  case RP_I8: fprintf(out, "%d", (int)*(const int8_t *)p); break;
  case RP_STR: rp_json_strn(out, p, f->width); break;
  }
}

void rp_row_json(FILE *out, const rp_table *t, const void *row)
{
  fputc('{', out);
  for (size_t i = 0; i < t->n_fields; i++) {
    if (i) fputs(", ", out);
    rp_json_str(out, t->fields[i].name);
    fputs(": ", out);
    field_json(out, &t->fields[i], row);
  }
  fputc('}', out);
}

void rp_rows_json(FILE *out, const rp_table *t, const void *rows, size_t n)
{
  fputc('[', out);
  for (size_t i = 0; i < n; i++) {
    if (i) fputs(", ", out);
    rp_row_json(out, t, (const char *)rows + i * t->row_size);
  }
  fputc(']', out);
}

void rp_csv_str(FILE *out, const char *s, size_t width)
{
  size_t n = strnlen(s, width);
  int quote = 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r') quote = 1;
  if (!quote) {
    fwrite(s, 1, n, out);
    return;
  }
  fputc('"', out);
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '"') fputc('"', out);
    fputc(s[i], out);
  }
  fputc('"', out);
}

void rp_csv_header(FILE *out, const rp_table *t, int leading_comma)
{
  for (size_t i = 0; i < t->n_fields; i++) {
    if (i || leading_comma) fputc(',', out);
    fputs(t->fields[i].name, out);
  }
}

void rp_row_csv(FILE *out, const rp_table *t, const void *row, int leading_comma)
{
  for (size_t i = 0; i < t->n_fields; i++) {
    if (i || leading_comma) fputc(',', out);
    const rp_field *f = &t->fields[i];
    const char *p = (const char *)row + f->offset;
    switch (f->kind) {
    case RP_F64: { double v; memcpy(&v, p, sizeof v); rp_print_f64(out, v); break; }
    case RP_F32: { float v; memcpy(&v, p, sizeof v); rp_print_f32(out, v); break; }
    case RP_I64: { int64_t v; memcpy(&v, p, sizeof v); fprintf(out, "%" PRId64, v); break; }
    case RP_I32: { int32_t v; memcpy(&v, p, sizeof v); fprintf(out, "%" PRId32, v); break; }
    case RP_I8: fprintf(out, "%d", (int)*(const int8_t *)p); break;
    case RP_STR: rp_csv_str(out, p, f->width); break;
    }
  }
}

void rp_text_num(FILE *out, double v, int decimals, const char *unit)
{
  if (isnan(v)) {
    fputs("n/a", out);
    return;
  }
  if (fabs(v) >= 1e9 || isinf(v))
    fprintf(out, "%.4g", v); /* keep huge values readable */
  else
    fprintf(out, "%.*f", decimals, v);
  if (unit && *unit) fprintf(out, " %s", unit);
}
