/* Calendar arithmetic and the strict ISO 8601 parser. Expected values were taken
 * from GNU date (`date -u -d X +%s`, `date -u -d X +%G-W%V`), a second,
 * independent implementation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "gaitbatch/load.h"
#include "gaitbatch/status.h"

static void test_days_from_civil_known(void **state)
{
  (void)state;
  /* date -u -d D +%s / 86400 */
  assert_int_equal(gb_days_from_civil(1970, 1, 1), 0);
  assert_int_equal(gb_days_from_civil(2026, 3, 2), 20514);
  assert_int_equal(gb_days_from_civil(2026, 12, 31), 20818);
  assert_int_equal(gb_days_from_civil(2027, 1, 4), 20822);
  assert_int_equal(gb_days_from_civil(2000, 2, 29), 11016);
  assert_int_equal(gb_days_from_civil(1969, 12, 29), -3);
  assert_int_equal(gb_days_from_civil(1900, 3, 1), -25508);
}

static void test_civil_round_trip(void **state)
{
  (void)state;
  for (int64_t d = -800000; d <= 800000; d += 997) {
    int32_t y, m, dd;
    gb_civil_from_days(d, &y, &m, &dd);
    assert_true(m >= 1 && m <= 12 && dd >= 1 && dd <= 31);
    assert_int_equal(gb_days_from_civil(y, m, dd), d);
  }
  /* Consecutive days: the next day is either day+1 or the 1st of the next month. */
  int32_t pm, pd;
  gb_civil_from_days(-1000, NULL, &pm, &pd);
  for (int64_t d = -999; d < 1000; d++) {
    int32_t y, m, dd;
    gb_civil_from_days(d, &y, &m, &dd);
    if (dd != 1) {
      assert_int_equal(dd, pd + 1);
      assert_int_equal(m, pm);
    }
    (void)y;
    pm = m, pd = dd;
  }
}

static void check_week(int64_t day, int32_t ey, int32_t ew)
{
  int32_t y, w;
  gb_iso_week(day, &y, &w);
  assert_int_equal(y, ey);
  assert_int_equal(w, ew);
}

static void test_iso_week_new_year(void **state)
{
  (void)state;
  /* date -u -d D +%G-W%V */
  check_week(gb_days_from_civil(2026, 12, 31), 2026, 53);
  check_week(gb_days_from_civil(2027, 1, 1), 2026, 53);
  check_week(gb_days_from_civil(2027, 1, 3), 2026, 53);
  check_week(gb_days_from_civil(2027, 1, 4), 2027, 1);
  check_week(gb_days_from_civil(2026, 1, 1), 2026, 1);
  check_week(gb_days_from_civil(2025, 12, 29), 2026, 1);
  check_week(gb_days_from_civil(2021, 1, 3), 2020, 53);
  check_week(gb_days_from_civil(2020, 12, 31), 2020, 53);
  check_week(gb_days_from_civil(2024, 12, 30), 2025, 1);
  check_week(gb_days_from_civil(2026, 3, 2), 2026, 10);
  check_week(gb_days_from_civil(1969, 12, 29), 1970, 1);
  check_week(gb_days_from_civil(1900, 3, 1), 1900, 9);
  /* Mondays: 2026-03-02 and 2026-12-28 are Mondays (date +%a). */
  assert_int_equal(gb_iso_week_monday(gb_days_from_civil(2026, 3, 8)), 20514);
  assert_int_equal(gb_iso_week_monday(20514), 20514);
  assert_int_equal(gb_iso_week_monday(gb_days_from_civil(2027, 1, 3)),
                   gb_days_from_civil(2026, 12, 28));
  assert_int_equal(gb_iso_week_monday(0), -3);
}

static void ok_parse(const char *s, double expected)
{
  double t = -1.0;
  int rc = gb_parse_iso8601(s, &t);
  if (rc != GB_OK) fail_msg("'%s' rejected", s);
  if (t != expected) fail_msg("'%s' -> %.6f, expected %.6f", s, t, expected);
}

static void test_parse_valid(void **state)
{
  (void)state;
  ok_parse("2026-03-02", 20514.0 * 86400.0);
  ok_parse("2026-03-02T07:00:00Z", 1772434800.0);
  ok_parse("2026-03-02T07:00:00", 1772434800.0); /* no zone = UTC */
  ok_parse("2026-03-02 07:00:00", 1772434800.0);
  ok_parse("2026-03-02T07:00Z", 1772434800.0);
  ok_parse("2026-03-02T07:00", 1772434800.0);
  ok_parse("2026-03-02T07:00:00.250Z", 1772434800.25);
  ok_parse("2026-03-02T07:00:00.5", 1772434800.5);
  ok_parse("2026-11-23T06:30:00+01:00", 1795411800.0); /* date -u -d ... +%s */
  ok_parse("2026-03-02T07:00:00-05:30", 1772454600.0);
  ok_parse("1969-12-31T23:59:59Z", -1.0);
  ok_parse("2024-02-29T00:00:00Z", 19782.0 * 86400.0);
}

static void test_parse_invalid(void **state)
{
  (void)state;
  static const char *bad[] = {
    "", "2026", "2026-3-02", "2026-03-2", "26-03-02", "2026/03/02", "2026-02-29",
    "2026-13-01", "2026-00-10", "2026-04-31", "2026-03-00", "2026-03-02T24:00",
    "2026-03-02T07:60", "2026-03-02T07:00:60", "2026-03-02T07", "2026-03-02T7:00",
    "2026-03-02T07:00Z ", " 2026-03-02", "2026-03-02Z", "2026-03-02T07:00+0100",
    "2026-03-02T07:00+01", "2026-03-02T07:00:00.", "2026-03-02T07:00:00.1234567891",
    "2026-03-02t07:00", "2026-03-02T07:00z", "2026-03-02T07:00:00+24:00",
    "2026-03-02T07:00:00+01:60", "2026-03-02T", "2026-03-02 ", "2026-03-02T07:00:00ZZ",
    "２026-03-02",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    double t = 123.0;
    int rc = gb_parse_iso8601(bad[i], &t);
    if (rc != GB_EINVAL) fail_msg("'%s' accepted (rc %d, t %.3f)", bad[i], rc, t);
  }
  double t;
  assert_int_equal(gb_parse_iso8601(NULL, &t), GB_EINVAL);
  assert_int_equal(gb_parse_iso8601("2026-03-02", NULL), GB_EINVAL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_days_from_civil_known), cmocka_unit_test(test_civil_round_trip),
    cmocka_unit_test(test_iso_week_new_year),     cmocka_unit_test(test_parse_valid),
    cmocka_unit_test(test_parse_invalid),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
