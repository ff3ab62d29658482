/* Initial contacts of real walking from a lower-back sensor, through the whole
 * analyzer (gravity projection, cadence hint, contacts), scored against the
 * datasets' references at ±100 ms inside their scored spans (GB_SHARED_DIR/
 * datasets/real/...; each dataset is skipped with a message when absent):
 *  - mobgap-lowerback-walking: McRoberts MM+ at L5, 100 Hz, g; INDIP reference ICs
 *    inside the INDIP walking bouts (reference_initial_contacts.csv,
 *    reference_walking_bouts.csv);
 *  - ipol-voisard-feet-lowerback-walking: Xsens at L5, 100 Hz, m/s²; manually
 *    checked heel strikes of both feet (events_flat.csv) inside the walking part
 *    of each trial (trials.csv).
 * Asserted (floors below the figures reached when these tests were written, kept
 * against regressions; issue 4 asks F1 ≥ 0.95 per recording, which most of the
 * nine recordings do not reach yet, see the README "What is weak"):
 *  - F1 ≥ 0.95 on the healthy straight walks (mobgap HA001 Test5, ipol 1-1);
 *  - F1 ≥ 0.95 on ipol 5-2 (steps with two loading humps, the second often the
 *    taller: 0.84 before the IC was taken at the first hump, 0.971 now);
 *  - F1 ≥ 0.95 on ipol 10-3 and 17-3 (0.969 and 1.000 when this was written:
 *    the U-turn's slow, irregular steps and the walk back; 10-3 was 0.938 before
 *    the step after a slow-down kept its first loading hump);
 *  - pooled F1 ≥ 0.855 on mobgap (slow daily-living walking in Test11: 0.79 with
 *    the fixed 0.2 g floor, 0.836 with the slow-walking floor, 0.848 with the
 *    gait-initiation rule, 0.854 with the faint in-rhythm step, 0.859 with the
 *    weaker of two contacts under 0.4 s apart dropped) and ≥ 0.96 on
 *    ipol (0.977), median timing error within ±30 ms. MS001 stays at 0.56-0.59
 *    against INDIP: its right-foot INDIP ICs lie 130-160 ms after the
 *    Stereophoto ones, which the detector matches.
 * Time base of the ipol files: the Xsens Awinda link drops packets, and the rows
 * skip them (10-3: 311 gaps, 520 samples missing, the first at 19.14 s; 17-3: 291
 * gaps, 500 missing, from 14.09 s; 1-1 and 5-2 only after the walk), so the row
 * index is not the sample index; the references count PacketCounter samples.
 * Rows are placed at PacketCounter / 100 s and the missing samples filled by
 * linear interpolation (as gaitbatch's CSV reader does with a sample-counter
 * column and a declared rate). Read as consecutive rows, the walk after the first
 * gap is compressed in time by up to 15 %, which is what once made this test
 * report F1 0.769 / 0.640 on 10-3 / 17-3 while `gaitbatch batch` got 0.938 / 0.964:
 * the detector itself gives the same contacts when the input's last bits change. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gaitbatch/analyzer.h"
#include "gaitbatch/config.h"

#define MOBGAP "datasets/real/mobgap-lowerback-walking"
#define IPOL "datasets/real/ipol-voisard-feet-lowerback-walking"
#define TOL_S 0.100
#define MAX_SPANS 32

typedef struct ref_set {
  double t[512];
  size_t n;
  double span[MAX_SPANS][2];
  size_t n_span;
} ref_set;

typedef struct tally {
  size_t tp, fp, fn;
  double err[2048];
  size_t n_err;
} tally;

static char root[4096];

static int exists(const char *path)
{
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  fclose(f);
  return 1;
}

/* Splits a line at sep into at most max fields (in place); returns the count. */
static int split(char *line, char sep, char **fld, int max)
{
  int k = 0;
  char *p = line;
  fld[k++] = p;
  for (; *p && k < max; p++)
    if (*p == sep) { *p = 0; fld[k++] = p + 1; }
  for (p = fld[k - 1]; *p; p++)
    if (*p == '\n' || *p == '\r') { *p = 0; break; }
  return k;
}

/* Frames (n × 3, g) from a text file: skip `skip` lines, then columns c0..c0+2
 * separated by sep, scaled by `scale`. */
static float *read_frames(const char *path, int skip, char sep, int c0, double scale, size_t *n)
{
  FILE *f = fopen(path, "r");
  if (!f) return NULL;
  char line[1024];
  for (int i = 0; i < skip; i++)
    if (!fgets(line, sizeof line, f)) { fclose(f); return NULL; }
  size_t cap = 8192;
  float *x = malloc(cap * 3 * sizeof(float));
  *n = 0;
  while (x && fgets(line, sizeof line, f)) {
    char *fld[16];
    if (split(line, sep, fld, 16) < c0 + 3) continue;
    if (*n == cap) {
      float *t = realloc(x, (cap *= 2) * 3 * sizeof(float));
      if (!t) { free(x); x = NULL; break; }
      x = t;
    }
    for (int k = 0; k < 3; k++) x[*n * 3 + (size_t)k] = (float)(strtod(fld[c0 + k], NULL) * scale);
    (*n)++;
  }
  fclose(f);
  return x;
}

/* Frames (n × 3, g) of an ipol lower-back file: after the preamble and the header,
 * PacketCounter then Acc_X Acc_Y Acc_Z (m/s²), TAB-separated. The frame of
 * sample k is at k / 100 s on the references' clock: frame 0 is the first row's
 * counter c0 (*c0_out), each row goes to its counter, and samples whose packet
 * was dropped are interpolated linearly between the rows around them. */
static float *read_ipol(const char *path, size_t *n, double *c0_out)
{
  FILE *f = fopen(path, "r");
  if (!f) return NULL;
  char line[1024];
  for (int i = 0; i < 2; i++)
    if (!fgets(line, sizeof line, f)) { fclose(f); return NULL; }
  size_t cap = 8192;
  float *x = malloc(cap * 3 * sizeof(float));
  double prev[3] = {0, 0, 0}, c_prev = -1, c0 = -1;
  *n = 0;
  while (x && fgets(line, sizeof line, f)) {
    char *fld[16];
    if (split(line, '\t', fld, 16) < 4) continue;
    double cnt = strtod(fld[0], NULL), v[3];
    for (int k = 0; k < 3; k++) v[k] = strtod(fld[1 + k], NULL) / 9.80665;
    if (c0 < 0) c0 = c_prev = cnt;
    assert_true(cnt == floor(cnt) && (cnt > c_prev || *n == 0)); /* increasing sample numbers */
    size_t upto = (size_t)(cnt - c0) + 1; /* frames after this row */
    while (x && *n < upto) {
      if (*n == cap) {
        float *t = realloc(x, (cap *= 2) * 3 * sizeof(float));
        if (!t) { free(x); x = NULL; break; }
        x = t;
      }
      double w = upto - 1 > *n && cnt > c_prev ? (double)(upto - 1 - *n) / (cnt - c_prev) : 0; /* share of prev */
      for (int k = 0; k < 3; k++) x[*n * 3 + (size_t)k] = (float)(w * prev[k] + (1 - w) * v[k]);
      (*n)++;
    }
    for (int k = 0; k < 3; k++) prev[k] = v[k];
    c_prev = cnt;
  }
  fclose(f);
  *c0_out = c0;
  return x;
}

static gb_result *analyze(const float *x, size_t n)
{
  gb_config cfg;
  gb_config_defaults(&cfg);
  gb_analyzer_input in = {100.0, 3, GB_LOC_SACRUM, 0};
  gb_analyzer *a = NULL;
  assert_int_equal(gb_analyzer_create(&cfg.analysis, &in, &a), 0);
  /* blocks of 4096 frames, as the batch reads them (the cadence hint reaches the
     contacts stage once per analyzer chunk, so the block size can matter) */
  for (size_t i = 0; i < n; i += 4096) {
    size_t m = i + 4096 < n ? 4096 : n - i;
    assert_int_equal(gb_analyzer_push(a, x + 3 * i, m), 0);
  }
  gb_result *r = NULL;
  assert_int_equal(gb_analyzer_finish(a, &r), 0);
  gb_analyzer_free(a);
  return r;
}

static int in_spans(const ref_set *rs, double t, double slack)
{
  for (size_t i = 0; i < rs->n_span; i++)
    if (t >= rs->span[i][0] - slack && t <= rs->span[i][1] + slack) return 1;
  return 0;
}

/* Greedy one-to-one matching of the references inside the spans (as `gaitbatch
 * eval` scores a truth scope: a detection just outside a span may match a
 * reference inside it; unmatched detections count as false only inside a span);
 * adds to the pooled tally and returns this recording's F1. */
static double score(const gb_result *r, double t_off, const ref_set *rs, tally *all, double *median_ms)
{
  double det[1024], err[512];
  size_t nd = 0, ne = 0, tp = 0, nref = 0, fp = 0;
  for (size_t i = 0; i < r->n_steps && nd < 1024; i++)
    if (in_spans(rs, r->steps[i].t_s + t_off, TOL_S)) det[nd++] = r->steps[i].t_s + t_off;
  unsigned char used[1024] = {0};
  for (size_t k = 0; k < rs->n; k++) {
    if (!in_spans(rs, rs->t[k], 0)) continue;
    nref++;
    size_t best = nd;
    for (size_t j = 0; j < nd; j++)
      if (!used[j] && fabs(det[j] - rs->t[k]) <= TOL_S &&
          (best == nd || fabs(det[j] - rs->t[k]) < fabs(det[best] - rs->t[k])))
        best = j;
    if (best < nd) {
      used[best] = 1;
      tp++;
      err[ne++] = det[best] - rs->t[k];
      if (all->n_err < 2048) all->err[all->n_err++] = det[best] - rs->t[k];
    }
  }
  for (size_t j = 0; j < nd; j++) fp += !used[j] && in_spans(rs, det[j], 0);
  all->tp += tp;
  all->fp += fp;
  all->fn += nref - tp;
  for (size_t a = 1; a < ne; a++) { /* insertion sort for the median */
    double y = err[a];
    size_t b = a;
    while (b > 0 && err[b - 1] > y) { err[b] = err[b - 1]; b--; }
    err[b] = y;
  }
  *median_ms = ne ? err[ne / 2] * 1000 : NAN;
  double p = tp + fp ? (double)tp / (double)(tp + fp) : 0, rc = nref ? (double)tp / (double)nref : 0;
  return p + rc > 0 ? 2 * p * rc / (p + rc) : 0;
}

static double pooled_f1(const tally *t)
{
  double p = (double)t->tp / (double)(t->tp + t->fp), r = (double)t->tp / (double)(t->tp + t->fn);
  return 2 * p * r / (p + r);
}

static double pooled_median_ms(tally *t)
{
  for (size_t a = 1; a < t->n_err; a++) {
    double y = t->err[a];
    size_t b = a;
    while (b > 0 && t->err[b - 1] > y) { t->err[b] = t->err[b - 1]; b--; }
    t->err[b] = y;
  }
  return t->n_err ? t->err[t->n_err / 2] * 1000 : NAN;
}

static void test_mobgap(void **state)
{
  (void)state;
  char dir[4200], path[4400];
  snprintf(dir, sizeof dir, "%s/" MOBGAP, root);
  snprintf(path, sizeof path, "%s/reference_initial_contacts.csv", dir);
  if (!exists(path)) {
    printf("skipped: ../shared/" MOBGAP " absent\n");
    skip();
  }
  static const char *files[] = {"HA001_TimeMeasure1_Test11_Trial1", "HA001_TimeMeasure1_Test5_Trial1",
                                "HA001_TimeMeasure1_Test5_Trial2", "MS001_TimeMeasure1_Test5_Trial1",
                                "MS001_TimeMeasure1_Test5_Trial2"};
  static tally all;
  memset(&all, 0, sizeof all);
  for (int fi = 0; fi < 5; fi++) {
    static ref_set rs;
    memset(&rs, 0, sizeof rs);
    char want[128], line[1024];
    snprintf(want, sizeof want, "%s.csv", files[fi]);
    /* file,ref_system,wb_id,ic_index,ic_time_s,ic_sample_100hz,side */
    snprintf(path, sizeof path, "%s/reference_initial_contacts.csv", dir);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    while (fgets(line, sizeof line, f)) {
      char *fld[8];
      if (split(line, ',', fld, 8) < 7 || strcmp(fld[0], want) || strcmp(fld[1], "INDIP")) continue;
      char *e;
      double t = strtod(fld[4], &e);
      if (e != fld[4] && rs.n < 512) rs.t[rs.n++] = t;
    }
    fclose(f);
    /* file,ref_system,wb_id,start_s,end_s,... */
    snprintf(path, sizeof path, "%s/reference_walking_bouts.csv", dir);
    f = fopen(path, "r");
    assert_non_null(f);
    while (fgets(line, sizeof line, f)) {
      char *fld[16];
      if (split(line, ',', fld, 16) < 5 || strcmp(fld[0], want) || strcmp(fld[1], "INDIP")) continue;
      if (rs.n_span < MAX_SPANS) {
        rs.span[rs.n_span][0] = strtod(fld[3], NULL);
        rs.span[rs.n_span][1] = strtod(fld[4], NULL);
        rs.n_span++;
      }
    }
    fclose(f);
    assert_true(rs.n > 5 && rs.n_span > 0);
    snprintf(path, sizeof path, "%s/%s", dir, want);
    size_t n = 0;
    float *x = read_frames(path, 1, ',', 1, 1.0, &n); /* samples,acc_x,acc_y,acc_z,... (g) */
    assert_non_null(x);
    gb_result *r = analyze(x, n);
    double med, f1 = score(r, 0.0, &rs, &all, &med);
    printf("  mobgap %s: F1 %.3f at ±100 ms, median error %+.1f ms\n", files[fi], f1, med);
    if (strstr(files[fi], "HA001_TimeMeasure1_Test5")) assert_true(f1 >= 0.95);
    gb_result_free(r);
    free(x);
  }
  double f1 = pooled_f1(&all), med = pooled_median_ms(&all);
  printf("  mobgap pooled: F1 %.3f (TP %zu FP %zu FN %zu), median error %+.1f ms\n", f1, all.tp, all.fp,
         all.fn, med);
  assert_true(f1 >= 0.855); /* Test11 (daily-living activities) misses steps: see the header */
  assert_true(fabs(med) <= 30.0);
}

static void test_ipol(void **state)
{
  (void)state;
  char dir[4200], path[4400], line[1024];
  snprintf(dir, sizeof dir, "%s/" IPOL, root);
  snprintf(path, sizeof path, "%s/events_flat.csv", dir);
  if (!exists(path)) {
    printf("skipped: ../shared/" IPOL " absent\n");
    skip();
  }
  static const char *trials[] = {"1-1", "5-2", "10-3", "17-3"};
  static tally all;
  memset(&all, 0, sizeof all);
  for (int ti = 0; ti < 4; ti++) {
    static ref_set rs;
    memset(&rs, 0, sizeof rs);
    /* trial,foot,event_index,toe_off_sample,heel_strike_sample */
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    while (fgets(line, sizeof line, f)) {
      char *fld[8];
      if (split(line, ',', fld, 8) < 5 || strcmp(fld[0], trials[ti])) continue;
      if (rs.n < 512) rs.t[rs.n++] = strtod(fld[4], NULL) / 100.0;
    }
    fclose(f);
    /* trial,...,trial_start_sample (col 8),trial_end_sample (col 9),... */
    char tpath[4400];
    snprintf(tpath, sizeof tpath, "%s/trials.csv", dir);
    f = fopen(tpath, "r");
    assert_non_null(f);
    while (fgets(line, sizeof line, f)) {
      char *fld[20];
      if (split(line, ',', fld, 20) < 10 || strcmp(fld[0], trials[ti])) continue;
      rs.span[0][0] = strtod(fld[8], NULL) / 100.0;
      rs.span[0][1] = strtod(fld[9], NULL) / 100.0;
      rs.n_span = 1;
    }
    fclose(f);
    assert_true(rs.n > 5 && rs.n_span == 1);
    snprintf(tpath, sizeof tpath, "%s/%s_lb.txt", dir, trials[ti]);
    size_t n = 0;
    double c0 = 0;
    float *x = read_ipol(tpath, &n, &c0);
    assert_non_null(x);
    gb_result *r = analyze(x, n);
    double med, f1 = score(r, c0 / 100.0, &rs, &all, &med);
    printf("  ipol %s: F1 %.3f at ±100 ms, median error %+.1f ms\n", trials[ti], f1, med);
    if (ti == 0) assert_true(f1 >= 0.95);
    if (ti == 1) assert_true(f1 >= 0.95);
    if (ti >= 2) assert_true(f1 >= 0.95); /* after the U-turn: see the header */
    gb_result_free(r);
    free(x);
  }
  double f1 = pooled_f1(&all), med = pooled_median_ms(&all);
  printf("  ipol pooled: F1 %.3f (TP %zu FP %zu FN %zu), median error %+.1f ms\n", f1, all.tp, all.fp, all.fn,
         med);
  assert_true(f1 >= 0.96);
  assert_true(fabs(med) <= 30.0);
}

int main(void)
{
  const char *sh = getenv("GB_SHARED_DIR");
  snprintf(root, sizeof root, "%s", sh ? sh : "../shared");
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_mobgap), cmocka_unit_test(test_ipol)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
