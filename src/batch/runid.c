/* Stable, readable run ids (DESIGN §9): the manifest's run_id, else athlete +
 * start, else the file stem; sanitised and made unique in row order. */
#include <stdio.h>
#include <string.h>

#include "gaitbatch/batch.h"
#include "util/errbuf.h"

static void sanitise(char *s)
{
  for (char *p = s; *p; p++) {
    unsigned char c = (unsigned char)*p;
    int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '.' || c == '_' || c == '-';
    if (!ok) *p = '_';
  }
  if (s[0] == '.') s[0] = '_'; /* no hidden files */
  if (!s[0]) strcpy(s, "run");
}

static void stem(const char *path, char *out, size_t cap)
{
  const char *b = strrchr(path, '/');
  b = b ? b + 1 : path;
  gb_strlcpy(out, b, cap);
  char *dot = strrchr(out, '.');
  if (dot && dot != out) *dot = '\0';
}

/* "2026-03-02T07:00:00Z" -> "20260302T0700" (digits of date and hh:mm[:ss]). */
static void compact_start(const char *iso, char *out, size_t cap)
{
  size_t o = 0;
  int ndig = 0;
  for (const char *p = iso; *p && o + 1 < cap; p++) {
    if (*p >= '0' && *p <= '9') {
      out[o++] = *p;
      ndig++;
      if (ndig == 8 && o + 1 < cap) out[o++] = 'T';
      if (ndig == 14) break;
    } else if (*p == '+' || *p == 'Z' || (*p == '-' && ndig >= 12)) {
      break;
    }
  }
  /* drop seconds when they are zero: 20260302T070000 -> 20260302T0700 */
  if (ndig == 14 && o >= 2 && out[o - 1] == '0' && out[o - 2] == '0') o -= 2;
  out[o] = '\0';
}

void gb_assign_run_ids(gb_run_request *rows, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    gb_run_meta *m = &rows[i].meta;
    if (!m->run_id[0]) {
      if (m->athlete[0] && m->start_iso[0]) {
        char st[32];
        compact_start(m->start_iso, st, sizeof st);
        snprintf(m->run_id, sizeof m->run_id, "%.80s_%s", m->athlete, st);
      } else {
        stem(m->path, m->run_id, sizeof m->run_id);
      }
    }
    sanitise(m->run_id);
  }
  /* unique in row order: O(n^2) compare is fine for thousands of rows but not for
   * hundreds of thousands; batches are bounded by files per night. */
  for (size_t i = 1; i < n; i++) {
    char base[GB_ID_MAX];
    gb_strlcpy(base, rows[i].meta.run_id, sizeof base);
    for (int k = 2;; k++) {
      int clash = 0;
      for (size_t j = 0; j < i && !clash; j++)
        clash = strcmp(rows[j].meta.run_id, rows[i].meta.run_id) == 0;
      if (!clash) break;
      snprintf(rows[i].meta.run_id, sizeof rows[i].meta.run_id, "%.100s-%d", base, k);
    }
  }
}
