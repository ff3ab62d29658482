/* gb_parse_double must give the same bits as strtod (C locale) on every decimal
 * string a CSV may hold. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/numparse.h"

/* xorshift64*: deterministic, seeded. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rng(void)
{
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 2685821657736338717ull;
}
static double urand(void) { return (double)(rng() >> 11) * (1.0 / 9007199254740992.0); }

static int same_bits(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

static void check_one(const char *s, long *mismatch, long *rejected)
{
  char *end;
  double want = strtod(s, &end);
  double got = 0;
  int rc = gb_parse_double(s, strlen(s), &got);
  while (*end == ' ' || *end == '\t' || *end == '\r') end++; /* CSV fields may be padded */
  if (*end != '\0') {
    if (rc == 0) print_error("accepted '%s', which strtod stops short of\n", s);
    if (rc == 0) (*mismatch)++;
    return;
  }
  if (rc != 0) {
    (*rejected)++;
    if (*rejected < 5) print_error("rejected '%s'\n", s);
    return;
  }
  if (!same_bits(want, got) && !(isnan(want) && isnan(got))) {
    (*mismatch)++;
    if (*mismatch < 5) print_error("'%s': strtod %.17g, gb_parse_double %.17g\n", s, want, got);
  }
}

static void test_random_formats(void **state)
{
  (void)state;
  long mismatch = 0, rejected = 0, n = 0;
  char s[64];
  for (int i = 0; i < 1000000; i++) {
    double mag;
    switch (i % 5) {
    case 0: mag = urand() * 20.0; break;                    /* sensor values in g */
    case 1: mag = urand() * 200.0; break;                   /* m/s^2 */
    case 2: mag = ldexp(urand(), (int)(rng() % 120) - 60); break; /* wide exponents */
    case 3: mag = urand() * 2e12; break;                    /* epoch milliseconds */
    default: mag = pow(10.0, urand() * 60.0 - 30.0); break;
    }
    if (rng() & 1) mag = -mag;
    switch (i % 8) { /* literal formats: -Wformat-nonliteral */
    case 0: snprintf(s, sizeof s, "%.3f", mag); break;
    case 1: snprintf(s, sizeof s, "%.6g", mag); break;
    case 2: snprintf(s, sizeof s, "%.17g", mag); break;
    case 3: snprintf(s, sizeof s, "%.4f", mag); break;
    case 4: snprintf(s, sizeof s, "%.9e", mag); break;
    case 5: snprintf(s, sizeof s, "%.15g", mag); break;
    case 6: snprintf(s, sizeof s, "%.2e", mag); break;
    default: snprintf(s, sizeof s, "%.16g", mag); break;
    }
    check_one(s, &mismatch, &rejected);
    n++;
  }
  /* Hand-written forms: explicit exponents, signs, leading/trailing dots. */
  static const char *const forms[] = {"1e5",     "1E-5",     "-2.5e+3",  "+3.25",    ".5",       "5.",
                                      "-.125",   "0",        "-0",       "-0.0",     "1e22",     "1e23",
                                      "9007199254740993",    "0.1",      "123456789012345",    "1e-22",
                                      "4.9e-324", "1.7976931348623157e308", "2.2250738585072014e-308",
                                      "1e400",   "1e-400",   "nan",      "inf",      "-Infinity", " 1.5 ",
                                      "1.5\r",   "00012.50", "1.000000000000000000001",
                                      "0.000000000000000000000000000001234"};
  for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
    check_one(forms[i], &mismatch, &rejected);
    n++;
  }
  print_message("gb_parse_double vs strtod: %ld strings, %ld mismatches, %ld rejected\n", n, mismatch,
                rejected);
  assert_int_equal(mismatch, 0);
  assert_int_equal(rejected, 0);
}

static void test_integer_digits_exhaustive_small(void **state)
{
  (void)state;
  /* Every 3-decimal value in [-100, 100] as printed by %.3f. */
  long mismatch = 0, rejected = 0;
  char s[32];
  for (int i = -100000; i <= 100000; i++) {
    snprintf(s, sizeof s, "%.3f", i / 1000.0);
    check_one(s, &mismatch, &rejected);
  }
  assert_int_equal(mismatch, 0);
  assert_int_equal(rejected, 0);
}

static void test_rejects_non_numbers(void **state)
{
  (void)state;
  static const char *const bad[] = {"", " ", "abc", "1.2.3", "1e", "1e+", "--1", "1,5", "0x", "12abc", "."};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    double v;
    assert_int_equal(gb_parse_double(bad[i], strlen(bad[i]), &v), -1);
  }
  /* Only the given bytes are read: "12" of "123". */
  double v = 0;
  assert_int_equal(gb_parse_double("123", 2, &v), 0);
  assert_true(v == 12.0);
}

/* The prefix parser stops at the delimiter, reads nothing at or past end (each
 * string sits at the very end of its own allocation: ASan reports any over-read),
 * and gives strtod's bits whenever it answers. */
static void test_prefix_bounds_and_stop(void **state)
{
  (void)state;
  char s[64];
  long answered = 0;
  for (int i = 0; i < 200000; i++) {
    double mag = (urand() - 0.5) * pow(10.0, (double)(rng() % 12) - 4.0);
    switch (i % 4) {
    case 0: snprintf(s, sizeof s, "%.4f", mag); break;
    case 1: snprintf(s, sizeof s, "%.17g", mag); break;
    case 2: snprintf(s, sizeof s, "%.6e", mag); break;
    default: snprintf(s, sizeof s, "%.9f;tail", mag); break;
    }
    size_t len = strlen(s);
    char *exact = malloc(len);
    memcpy(exact, s, len); /* no terminator */
    double v;
    size_t n = gb_parse_double_prefix(exact, exact + len, &v);
    if (i % 4 == 0 || i % 4 == 2) assert_true(n > 0); /* <= 15 digits: always the fast path */
    if (n) {
      answered++;
      char *end;
      double want = strtod(s, &end);
      assert_int_equal(n, (size_t)(end - s));
      assert_true(same_bits(v, want));
    }
    free(exact);
  }
  assert_true(answered >= 100000);
}

/* The sentinel parser used by the CSV row fast path: strtod's bits and stop
 * position whenever it answers, on sensor-like and adversarial strings (long
 * mantissas, many decimals, signs, "5.", ".5", -0). */
static void test_plain_sentinel(void **state)
{
  (void)state;
  char s[80];
  long answered = 0;
  for (int i = 0; i < 300000; i++) {
    double mag = (urand() - 0.5) * pow(10.0, (double)(rng() % 16) - 6.0);
    switch (i % 6) {
    case 0: snprintf(s, sizeof s, "%.5f,", mag); break;
    case 1: snprintf(s, sizeof s, "%.17g\n", mag); break;
    case 2: snprintf(s, sizeof s, "%+.*f", (int)(rng() % 23), mag); break;
    case 3: snprintf(s, sizeof s, "%.0f.", mag * 1e6); break;
    case 4: snprintf(s, sizeof s, ".%llu", (unsigned long long)(rng() % 100000000000000000ull)); break;
    default: snprintf(s, sizeof s, "%llu.%06llu\t", (unsigned long long)(rng() % 10000000000000ull),
                      (unsigned long long)(rng() % 1000000)); break;
    }
    double v;
    const char *q = gb_parse_plain_sentinel(s, &v);
    if (!q) continue;
    char *end;
    double want = strtod(s, &end);
    if (q != end) { /* an exponent follows: the CSV caller sees no delimiter and falls back */
      assert_true(*q == 'e' || *q == 'E');
      continue;
    }
    answered++;
    if (!same_bits(v, want)) fail_msg("'%s': strtod %.17g, sentinel parser %.17g", s, want, v);
  }
  print_message("sentinel parser: %ld of 300000 answered, all with strtod's bits\n", answered);
  assert_true(answered >= 100000);
  double v;
  const char *q = gb_parse_plain_sentinel("-0.000,", &v);
  assert_non_null(q);
  assert_true(v == 0.0 && signbit(v));
  assert_null(gb_parse_plain_sentinel("-,", &v));
  assert_null(gb_parse_plain_sentinel(".", &v));
  assert_null(gb_parse_plain_sentinel("12345678901234567890", &v)); /* 20 digits */
  assert_null(gb_parse_plain_sentinel("9007199254740993", &v));     /* above 2^53 */
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_random_formats),
    cmocka_unit_test(test_integer_digits_exhaustive_small),
    cmocka_unit_test(test_rejects_non_numbers),
    cmocka_unit_test(test_prefix_bounds_and_stop),
    cmocka_unit_test(test_plain_sentinel),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
