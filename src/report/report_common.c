/* Helpers shared by the run and summary reports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaitbatch/status.h"
#include "gaitbatch/version.h"
#include "report/report_h5.h"
#include "report/report_internal.h"
#include "util/errbuf.h"

int rp_write_common_attrs(hid_t root, const char *schema, const char *generator,
                          const char *created)
{
  char gen[64];
  if (generator && *generator)
    gb_strlcpy(gen, generator, sizeof gen);
  else
    snprintf(gen, sizeof gen, "gaitbatch %s", gb_version_string());
  if (rp_attr_str(root, "schema", schema) < 0 ||
      rp_attr_str(root, "schema_version", GB_SCHEMA_VERSION) < 0 ||
      rp_attr_str(root, "generator", gen) < 0 ||
      rp_attr_str(root, "hdf5_version", gb_hdf5_version()) < 0 ||
      rp_attr_str(root, "fftw_version", gb_fftw_version()) < 0 ||
      rp_attr_str(root, "sndfile_version", gb_sndfile_version()) < 0 ||
      rp_attr_str(root, "created", created ? created : "") < 0)
    return -1;
  return 0;
}

void rp_flag_to_row(const gb_flag *f, rp_flag_row *r)
{
  memset(r, 0, sizeof *r);
  rp_put_str(r->code, sizeof r->code, f->code);
  rp_severity_text(f->severity, r->severity, sizeof r->severity);
  r->t_start_s = f->t_start_s;
  r->t_end_s = f->t_end_s;
  r->value = f->value;
  r->threshold = f->threshold;
  rp_put_str(r->message, sizeof r->message, f->message);
}

void rp_flag_from_row(const rp_flag_row *r, gb_flag *f)
{
  char sev[RP_W_SEV + 1];
  memset(f, 0, sizeof *f);
  rp_get_str(f->code, sizeof f->code, r->code, sizeof r->code);
  rp_get_str(sev, sizeof sev, r->severity, sizeof r->severity);
  f->severity = (gb_severity)rp_severity_parse(sev);
  f->t_start_s = r->t_start_s;
  f->t_end_s = r->t_end_s;
  f->value = r->value;
  f->threshold = r->threshold;
  rp_get_str(f->message, sizeof f->message, r->message, sizeof r->message);
}

void rp_strs_free(char **s, size_t n)
{
  if (!s) return;
  for (size_t i = 0; i < n; i++) free(s[i]);
  free(s);
}

int rp_attr_read_strs(hid_t obj, const char *name, char ***out, size_t *n)
{
  *out = NULL;
  *n = 0;
  hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
  if (a < 0) return -1;
  hid_t ft = H5Aget_type(a), sp = H5Aget_space(a);
  int rc = -1;
  char **tmp = NULL, **res = NULL;
  hssize_t np = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
  if (ft < 0 || np < 0 || H5Tget_class(ft) != H5T_STRING || H5Tis_variable_str(ft) <= 0) goto done;
  if (np > RP_MAX_ATTR_STRS) goto done; /* the count comes from the file: bounded */
  tmp = calloc((size_t)np + 1, sizeof *tmp);
  res = calloc((size_t)np + 1, sizeof *res);
  if (!tmp || !res) {
    rc = GB_ENOMEM;
    goto done;
  }
  if (np && H5Aread(a, ft, tmp) < 0) goto done;
  rc = 0;
  for (hssize_t i = 0; i < np; i++) {
    res[i] = strdup(tmp[i] ? tmp[i] : "");
    if (!res[i]) rc = GB_ENOMEM;
    H5free_memory(tmp[i]);
  }
  if (rc == 0) {
    *out = res;
    *n = (size_t)np;
    res = NULL;
  }
done:
  rp_strs_free(res, np > 0 ? (size_t)np : 0);
  free(tmp);
  if (ft >= 0) H5Tclose(ft);
  if (sp >= 0) H5Sclose(sp);
  H5Aclose(a);
  return rc;
}

/* Howard Hinnant's days_from_civil (proleptic Gregorian). */
static long days_from_civil(long y, unsigned m, unsigned d)
{
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);
  unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (long)doe - 719468;
}

int rp_iso_day(const char *iso, long *day)
{
  if (!iso) return -1;
  for (int i = 0; i < 10; i++) {
    char c = iso[i];
    if (i == 4 || i == 7) {
      if (c != '-') return -1;
    } else if (c < '0' || c > '9') {
      return -1;
    }
  }
  long y = strtol(iso, NULL, 10);
  unsigned m = (unsigned)((iso[5] - '0') * 10 + (iso[6] - '0'));
  unsigned d = (unsigned)((iso[8] - '0') * 10 + (iso[9] - '0'));
  if (m < 1 || m > 12 || d < 1 || d > 31) return -1;
  *day = days_from_civil(y, m, d);
  return 0;
}

void rp_sanitize_name(const char *in, char *out, size_t outlen)
{
  if (!outlen) return;
  if (!in || !*in) {
    gb_strlcpy(out, "_unknown", outlen);
    return;
  }
  size_t j = 0;
  for (size_t i = 0; in[i] && j + 1 < outlen; i++) {
    unsigned char c = (unsigned char)in[i];
    int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '_' || c == '-';
    out[j++] = ok ? (char)c : '_';
  }
  out[j] = '\0';
}

/* Howard Hinnant's civil_from_days. */
void rp_day_text(long z, char *buf, size_t len)
{
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned)(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long y = (long)yoe + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned d = doy - (153 * mp + 2) / 5 + 1;
  unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  snprintf(buf, len, "%04ld-%02u-%02u", y, m, d);
}
