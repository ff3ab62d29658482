/* Internal: fast, locale-independent decimal number parsing.
 *
 * Results are bit-identical to strtod in the "C" locale: the Clinger fast path
 * (an integer mantissa of at most 2^53 and a power of ten up to 1e22, where a
 * single correctly rounded multiply or divide is exact) covers sensor data, and
 * anything else falls back to strtod on a bounded copy. Hexadecimal floats
 * ("0x1p3"), which strtod also accepts, are rejected: no CSV means them. */
#ifndef GB_UTIL_NUMPARSE_H
#define GB_UTIL_NUMPARSE_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Parses exactly the bytes s[0..len) (surrounding spaces allowed) as a decimal
 * number ("nan" and "inf" are accepted, as strtod does). Returns 0 on success,
 * -1 if the text is not a number. */
int gb_parse_double(const char *s, size_t len, double *out);

/* Parses the plain decimal number ("-12.5", "3e-4") that starts at s, reading no
 * byte at or after end, and stops at the first byte that cannot continue it.
 * Returns the number of bytes consumed, or 0 when the fast path cannot decide
 * (no digits, leading spaces, nan/inf, more than 19 digits, huge exponents): the
 * caller then delimits the field and calls gb_parse_double. Same bits as strtod. */
/* (defined inline below so that parsers can inline it per field) */

/* ---- implementation of the fast path ---- */
/* 10^0 .. 10^22 are exact doubles (5^22 < 2^53). With an integer mantissa of at
 * most 2^53 (also exact), one multiplication or division by one of them is a single
 * correctly rounded operation, which is exactly what strtod returns (W. D. Clinger,
 * "How to read floating point numbers accurately", PLDI 1990). */
static const double gb_np_pow10_exact[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
static const uint64_t gb_np_pow10_u64[9] = {1,      10,      100,      1000,     10000,
                                      100000, 1000000, 10000000, 100000000};

#define GB_NP_MANT_EXACT_MAX (UINT64_C(1) << 53)

static inline int gb_np_is_digit(char c) { return (unsigned)(c - '0') < 10u; }

/* Reads a run of decimal digits at *pp (not past e) into *mant; returns its
 * length. Eight bytes at a time (SWAR, as in simdjson's parse_eight_digits) when
 * eight bytes are available, which avoids a branch per digit. */
static inline int gb_np_digit_run(const char **pp, const char *e, uint64_t *mant)
{
  const char *p = *pp;
  uint64_t m = *mant;
  int total = 0;
  while (e - p >= 8) {
    uint64_t w;
    memcpy(&w, p, 8);
    /* little-endian: byte i is p[i] */
    uint64_t x = w ^ UINT64_C(0x3030303030303030); /* digits -> 0..9 */
    uint64_t nd = (x | (x + UINT64_C(0x0606060606060606))) & UINT64_C(0xF0F0F0F0F0F0F0F0);
    int n = nd ? __builtin_ctzll(nd) >> 3 : 8; /* leading digits in this word */
    if (n == 0) break;
    uint64_t d = n == 8 ? x : x << (8 * (8 - n)); /* digits to the top, zeros below */
    d = d * 10 + (d >> 8);
    d = (((d & UINT64_C(0x000000FF000000FF)) * (100 + (UINT64_C(1000000) << 32))) +
         (((d >> 16) & UINT64_C(0x000000FF000000FF)) * (1 + (UINT64_C(10000) << 32)))) >>
        32;
    m = m * gb_np_pow10_u64[n] + d; /* may wrap past 19 digits: the caller checks the count */
    p += n;
    total += n;
    if (n < 8) {
      *pp = p;
      *mant = m;
      return total;
    }
  }
  while (p < e && gb_np_is_digit(*p)) {
    m = m * 10 + (uint64_t)(*p++ - '0');
    total++;
  }
  *pp = p;
  *mant = m;
  return total;
}

static inline size_t gb_parse_double_prefix(const char *s, const char *end, double *out)
{
  const char *p = s, *e = end;
  if (p >= e) return 0;
  int neg = 0;
  if (*p == '-' || *p == '+') {
    neg = *p == '-';
    p++;
  }
  uint64_t mant = 0;
  int ndig = gb_np_digit_run(&p, e, &mant), frac = 0;
  if (p < e && *p == '.') {
    p++;
    frac = gb_np_digit_run(&p, e, &mant);
    ndig += frac;
  }
  if (ndig == 0 || ndig > 19) return 0;
  int exp10 = 0;
  if (p < e && (*p == 'e' || *p == 'E')) {
    const char *q = p + 1;
    int eneg = 0, ev = 0;
    if (q < e && (*q == '-' || *q == '+')) {
      eneg = *q == '-';
      q++;
    }
    if (q == e || !gb_np_is_digit(*q)) return 0;
    while (q < e && gb_np_is_digit(*q)) {
      if (ev < 100000) ev = ev * 10 + (*q - '0');
      q++;
    }
    exp10 = eneg ? -ev : ev;
    p = q;
  }
  /* A letter right after the number ("1.5x", "0x1p3", "1e5e") is not a number. */
  if (p < e && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '.' || *p == '_')) return 0;
  int scale = exp10 - frac;
  double v;
  if (mant == 0) v = 0.0;
  else if (mant > GB_NP_MANT_EXACT_MAX || scale > 22 || scale < -22) return 0;
  else if (scale >= 0) v = (double)mant * gb_np_pow10_exact[scale]; /* exact operands, one rounding */
  else v = (double)mant / gb_np_pow10_exact[-scale];
  *out = neg ? -v : v;
  return (size_t)(p - s);
}


#endif
