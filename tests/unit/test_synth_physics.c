/* Physics of the generator (issue 3): mean vertical specific force per step = 1 g at the trunk
 * with a near-0 g flight phase, contact rate = cadence track, rearfoot steps carry more
 * 10-20 Hz energy than midfoot ones, clipping at the full scale. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sndfile.h>

#include "gaitbatch/status.h"
#include "gaitbatch/synth.h"

typedef struct tstep { double t, tc, peak; int side, rear; } tstep;

static char *make_dir(void)
{
  char tmpl[] = "/tmp/gb_synth_phys_XXXXXX";
  char *d = mkdtemp(tmpl);
  assert_non_null(d);
  return strdup(d);
}

static void rm_rf(const char *d)
{
  char cmd[512];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", d);
  assert_int_equal(system(cmd), 0);
}

static int read_steps(const char *dir, const char *id, tstep **out)
{
  char p[512], line[256];
  snprintf(p, sizeof p, "%s/truth/%s/steps.csv", dir, id);
  FILE *f = fopen(p, "r");
  assert_non_null(f);
  assert_non_null(fgets(line, sizeof line, f));
  assert_string_equal(line, "t_s,side,landing,contact_time_ms,peak_g\n");
  int n = 0, cap = 1024;
  tstep *v = malloc(sizeof *v * (size_t)cap);
  while (fgets(line, sizeof line, f)) {
    char land[32];
    tstep s;
    assert_int_equal(sscanf(line, "%lf,%d,%31[a-z],%lf,%lf", &s.t, &s.side, land, &s.tc, &s.peak), 5);
    s.rear = strcmp(land, "rearfoot") == 0;
    s.tc /= 1000.0;
    if (n == cap) v = realloc(v, sizeof *v * (size_t)(cap *= 2));
    v[n++] = s;
  }
  fclose(f);
  *out = v;
  return n;
}

/* whole recording as floats (frames x channels) */
static float *read_audio(const char *path, SF_INFO *info)
{
  memset(info, 0, sizeof *info);
  SNDFILE *sf = sf_open(path, SFM_READ, info);
  assert_non_null(sf);
  float *x = malloc(sizeof *x * (size_t)(info->frames * info->channels));
  assert_int_equal(sf_readf_float(sf, x, info->frames), info->frames);
  sf_close(sf);
  return x;
}

static void base_spec(gb_synth_spec *s)
{
  gb_synth_spec_init(s);
  s->seed = 42;
  s->duration_s = 60;
  s->sample_rate_hz = 500;
}

static void test_trunk_mean_one_g(void **state)
{
  (void)state;
  char *dir = make_dir();
  gb_synth_spec s;
  base_spec(&s);
  s.location = GB_LOC_SACRUM;
  s.trunk_lean_deg = 0;
  s.warmup_s = 0;
  s.rearfoot_share = 0.5; /* impact bumps must not shift the mean */
  s.impact_g = 9;
  char err[256];
  assert_int_equal(gb_synth_run(&s, dir, "trunk", NULL, err, sizeof err), GB_OK);
  tstep *st;
  int n = read_steps(dir, "trunk", &st);
  char p[512];
  snprintf(p, sizeof p, "%s/trunk.wav", dir);
  SF_INFO info;
  float *x = read_audio(p, &info);
  assert_int_equal(info.channels, 3);
  double fs = info.samplerate;
  int checked = 0;
  double worst = 0;
  for (int k = 0; k + 1 < n; k++) {
    double T = st[k + 1].t - st[k].t;
    if (T > 0.5 || st[k].t > 45) continue; /* running steps, before the cool-down */
    long a = (long)ceil(st[k].t * fs), b = (long)ceil(st[k + 1].t * fs);
    double sum = 0;
    for (long i = a; i < b; i++) sum += x[3 * i + 2];
    double mean = sum / (double)(b - a);
    if (fabs(mean - 1.0) > worst) worst = fabs(mean - 1.0);
    /* flight: from 20 ms after toe-off to 20 ms before the next contact, ~0 g */
    for (long i = (long)ceil((st[k].t + st[k].tc + 0.02) * fs); i < (long)((st[k + 1].t - 0.02) * fs); i++)
      assert_true(fabs(x[3 * i + 2]) < 0.15);
    checked++;
  }
  printf("trunk: %d steps checked, worst |mean - 1 g| = %.4f g\n", checked, worst);
  assert_true(checked > 80);
  assert_true(worst < 0.02);
  free(st);
  free(x);
  rm_rf(dir);
  free(dir);
}

static double read_cadence_integral(const char *dir, const char *id, int *rows)
{
  char p[512], line[128];
  snprintf(p, sizeof p, "%s/truth/%s/cadence.csv", dir, id);
  FILE *f = fopen(p, "r");
  assert_non_null(f);
  assert_non_null(fgets(line, sizeof line, f));
  double sum = 0, t, c;
  *rows = 0;
  while (fgets(line, sizeof line, f)) {
    assert_int_equal(sscanf(line, "%lf,%lf", &t, &c), 2);
    sum += c / 60.0; /* one row per second */
    (*rows)++;
  }
  fclose(f);
  return sum;
}

static void test_contact_rate_equals_cadence(void **state)
{
  (void)state;
  char *dir = make_dir();
  gb_synth_spec s;
  base_spec(&s);
  s.duration_s = 300;
  s.sample_rate_hz = 100;
  s.channels = 1;
  s.format = GB_SYNTH_FLAC16;
  s.n_surges = 2;
  s.surge_s = 20;
  s.n_stops = 1;
  s.fatigue_start_frac = 0.6;
  char err[256];
  gb_synth_result r;
  assert_int_equal(gb_synth_run(&s, dir, "cad", &r, err, sizeof err), GB_OK);
  tstep *st;
  int n = read_steps(dir, "cad", &st);
  int rows;
  double expect = read_cadence_integral(dir, "cad", &rows);
  printf("steps %d, cadence integral %.1f, rows %d\n", n, expect, rows);
  assert_int_equal(rows, 300);
  assert_int_equal(n, (int)r.n_steps);
  assert_true(fabs(n - expect) <= 0.01 * expect + 3);
  /* sides alternate */
  for (int k = 1; k < n; k++) assert_int_not_equal(st[k].side, st[k - 1].side);
  free(st);
  rm_rf(dir);
  free(dir);
}

/* |X(f)|^2 of x[0..n) at frequency f (Hz), Hann-windowed, mean removed */
static double dft_power(const double *x, int n, double fs, double f)
{
  double re = 0, im = 0;
  for (int i = 0; i < n; i++) {
    double w = 0.5 - 0.5 * cos(2 * M_PI * i / (n - 1));
    re += w * x[i] * cos(2 * M_PI * f * i / fs);
    im -= w * x[i] * sin(2 * M_PI * f * i / fs);
  }
  return re * re + im * im;
}

static void test_rearfoot_band_energy(void **state)
{
  (void)state;
  char *dir = make_dir();
  gb_synth_spec s;
  base_spec(&s);
  s.sample_rate_hz = 1000;
  s.rearfoot_share = 0.5;
  s.impact_g = 8;
  s.full_scale_g = 50;
  char err[256];
  assert_int_equal(gb_synth_run(&s, dir, "band", NULL, err, sizeof err), GB_OK);
  tstep *st;
  int n = read_steps(dir, "band", &st);
  char p[512];
  snprintf(p, sizeof p, "%s/band.wav", dir);
  SF_INFO info;
  float *x = read_audio(p, &info);
  double fs = info.samplerate;
  int win = (int)(0.2 * fs);
  double *seg = malloc(sizeof *seg * (size_t)win);
  double band[2] = {0, 0}, ratio[2] = {0, 0};
  int cnt[2] = {0, 0};
  for (int k = 0; k < n; k++) {
    if (st[k].side != 0 || st[k].t < 20 || st[k].t > 45) continue; /* own leg, steady running */
    long a = (long)ceil((st[k].t - 0.05) * fs); /* Hann window centred 50 ms after contact */
    if (a + win > info.frames) continue;
    double m = 0;
    for (int i = 0; i < win; i++) m += (seg[i] = x[3 * (a + i) + 2]);
    m /= win;
    for (int i = 0; i < win; i++) seg[i] -= m;
    double e_imp = 0, e_act = 0;
    for (double f = 10; f <= 20; f += 1) e_imp += dft_power(seg, win, fs, f);
    for (double f = 4; f <= 8; f += 1) e_act += dft_power(seg, win, fs, f);
    band[st[k].rear] += e_imp;
    ratio[st[k].rear] += e_imp / (e_act + 1e-12);
    cnt[st[k].rear]++;
  }
  assert_true(cnt[0] > 5 && cnt[1] > 5);
  for (int c = 0; c < 2; c++) {
    band[c] /= cnt[c];
    ratio[c] /= cnt[c];
  }
  printf("10-20 Hz energy: rearfoot %.3g (n=%d, ratio to 4-8 Hz %.2f), midfoot %.3g (n=%d, ratio %.2f)\n",
         band[1], cnt[1], ratio[1], band[0], cnt[0], ratio[0]);
  assert_true(band[1] > 2.0 * band[0]);
  assert_true(ratio[1] > 1.0 && ratio[0] < 1.0);
  free(seg);
  free(st);
  free(x);
  rm_rf(dir);
  free(dir);
}

static void check_clipping(gb_synth_format fmt, const char *ext)
{
  char *dir = make_dir();
  gb_synth_spec s;
  base_spec(&s);
  s.format = fmt;
  s.location = GB_LOC_FOOT;
  s.rearfoot_share = 1.0;
  s.impact_g = 12; /* foot peaks ~1.5x the tibia's: far beyond 8 g */
  s.full_scale_g = 8;
  char err[256];
  gb_synth_result r;
  assert_int_equal(gb_synth_run(&s, dir, "clip", &r, err, sizeof err), GB_OK);
  char p[512];
  snprintf(p, sizeof p, "%s/clip.%s", dir, ext);
  SF_INFO info;
  float *x = read_audio(p, &info);
  double mx = 0;
  for (sf_count_t i = 0; i < info.frames * info.channels; i++) {
    double v = fabs((double)x[i]) * (fmt == GB_SYNTH_FLAC16 ? s.full_scale_g : 1.0);
    if (v > mx) mx = v;
  }
  printf("%s: max |sample| = %.5f g (full scale %g), clipped steps %lld of %lld\n", ext, mx, s.full_scale_g,
         (long long)r.n_clipped_steps, (long long)r.n_steps);
  assert_true(mx <= s.full_scale_g + 1e-6);
  assert_true(mx >= s.full_scale_g * 0.999); /* it did clip */
  tstep *st;
  int n = read_steps(dir, "clip", &st);
  int at_fs = 0;
  for (int k = 0; k < n; k++) {
    assert_true(st[k].peak <= s.full_scale_g + 1e-9);
    at_fs += st[k].peak >= s.full_scale_g * 0.999;
  }
  assert_true(at_fs > n / 4);
  assert_true(r.n_clipped_steps > 0);
  snprintf(p, sizeof p, "%s/truth/clip/flags.csv", dir);
  FILE *f = fopen(p, "r");
  assert_non_null(f);
  char buf[4096];
  size_t len = fread(buf, 1, sizeof buf - 1, f);
  buf[len] = '\0';
  fclose(f);
  assert_non_null(strstr(buf, "quality.clipping,"));
  free(st);
  free(x);
  rm_rf(dir);
  free(dir);
}

static void test_clipping_wav(void **state)
{
  (void)state;
  check_clipping(GB_SYNTH_WAV_FLOAT, "wav");
}

static void test_clipping_flac(void **state)
{
  (void)state;
  check_clipping(GB_SYNTH_FLAC16, "flac");
}

/* Standing still: upright, gravity only (a roll of 90 deg moves z onto -y). Running with a
 * forward lean L: the mean over whole steps reads x = -sin L, z = cos L (a 90 deg yaw moves x onto
 * y: out = Rz * v). */
static void check_posture(double roll, double yaw, const double still[3], const double run[3])
{
  char *dir = make_dir();
  gb_synth_spec s;
  base_spec(&s);
  s.location = GB_LOC_SACRUM;
  s.trunk_lean_deg = 20;
  s.noise_g = 0;
  s.warmup_s = 0;
  s.orient_deg[0] = roll;
  s.orient_deg[2] = yaw;
  char err[256];
  assert_int_equal(gb_synth_run(&s, dir, "post", NULL, err, sizeof err), GB_OK);
  char p[512];
  snprintf(p, sizeof p, "%s/post.wav", dir);
  SF_INFO info;
  float *x = read_audio(p, &info);
  double fs = info.samplerate;
  for (long i = 0; i < (long)(9.0 * fs); i++) /* still: 0..10 s */
    for (int c = 0; c < 3; c++) assert_float_equal(x[3 * i + c], still[c], 1e-5);
  tstep *st;
  int n = read_steps(dir, "post", &st);
  int k0 = -1, k1 = -1; /* whole steps between 15 s and 45 s */
  for (int k = 0; k < n; k++) {
    if (k0 < 0 && st[k].t >= 15) k0 = k;
    if (st[k].t <= 45) k1 = k;
  }
  assert_true(k0 >= 0 && k1 > k0 + 50);
  long a = (long)ceil(st[k0].t * fs), b = (long)ceil(st[k1].t * fs);
  for (int c = 0; c < 3; c++) {
    double m = 0;
    for (long i = a; i < b; i++) m += x[3 * i + c];
    m /= (double)(b - a);
    printf("roll %g yaw %g: running mean axis %d = %.4f (expected %.4f)\n", roll, yaw, c, m, run[c]);
    assert_float_equal(m, run[c], 0.01);
  }
  free(st);
  free(x);
  rm_rf(dir);
  free(dir);
}

static void test_lean_and_orientation(void **state)
{
  (void)state;
  double sl = sin(20 * M_PI / 180), cl = cos(20 * M_PI / 180);
  const double up[3] = {0, 0, 1}, lean[3] = {-sl, 0, cl};
  check_posture(0, 0, up, lean);
  const double up_roll[3] = {0, -1, 0}, lean_roll[3] = {-sl, -cl, 0};
  check_posture(90, 0, up_roll, lean_roll);
  const double lean_yaw[3] = {0, -sl, cl};
  check_posture(0, 90, up, lean_yaw);
}

static void test_bad_spec(void **state)
{
  (void)state;
  gb_synth_spec s;
  gb_synth_spec_init(&s);
  char err[256] = "";
  s.sample_rate_hz = 20;
  assert_int_equal(gb_synth_spec_check(&s, err, sizeof err), GB_EINVAL);
  assert_non_null(strstr(err, "sample rate"));
  gb_synth_spec_init(&s);
  s.location = GB_LOC_THIGH;
  assert_int_equal(gb_synth_spec_check(&s, err, sizeof err), GB_EUNSUPPORTED);
  gb_synth_spec_init(&s);
  assert_int_equal(gb_synth_apply_scenario(&s, "sprint"), GB_EINVAL);
  assert_int_equal(gb_synth_apply_scenario(&s, "heel"), GB_OK);
  assert_true(s.rearfoot_share > 0.5);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_trunk_mean_one_g),
    cmocka_unit_test(test_contact_rate_equals_cadence),
    cmocka_unit_test(test_rearfoot_band_energy),
    cmocka_unit_test(test_clipping_wav),
    cmocka_unit_test(test_clipping_flac),
    cmocka_unit_test(test_lean_and_orientation),
    cmocka_unit_test(test_bad_spec),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
