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
#define GB_NP_MANT_EXACT_MAX (UINT64_C(1) << 53)

static inline int gb_np_is_digit(char c) { return (unsigned)(c - '0') < 10u; }

#if defined(__GNUC__)
#define GB_NP_INLINE __attribute__((always_inline)) inline
#else
#define GB_NP_INLINE inline
#endif

/* Scalar digit loop: sensor fields have 1-8 digits per run, where one multiply-add
 * per digit beats the eight-byte SWAR step (measured on the 1 h 500 Hz bench CSV). */
static GB_NP_INLINE int gb_np_digits(const char **pp, const char *e, uint64_t *mant)
{
  const char *p = *pp, *b = p;
  uint64_t m = *mant;
  while (p < e) {
    unsigned d = (unsigned)(unsigned char)*p - '0';
    if (d > 9) break;
    m = m * 10 + d; /* may wrap past 19 digits: the caller checks the count */
    p++;
  }
  *pp = p;
  *mant = m;
  return (int)(p - b);
}

static GB_NP_INLINE size_t gb_parse_double_prefix(const char *s, const char *end, double *out)
{
  const char *p = s, *e = end;
  if (p >= e) return 0;
  int neg = 0;
  if (*p == '-' || *p == '+') {
    neg = *p == '-';
    p++;
  }
  uint64_t mant = 0;
  int ndig = gb_np_digits(&p, e, &mant), frac = 0;
  if (p < e && *p == '.') {
    p++;
    frac = gb_np_digits(&p, e, &mant);
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


/* Plain decimal "[-+]digits[.digits]" at p, in a buffer known to end with a
 * byte that is not a digit (a sentinel such as '\0'): no bounds check per byte.
 * The same arithmetic as gb_parse_double_prefix (Clinger's fast path: an exact
 * integer mantissa and one correctly rounded division by an exact power of ten),
 * hence strtod's bits. Returns the first byte after the number, or NULL when the
 * general parser must decide (no digits, more than 19 digits, a mantissa above
 * 2^53, more than 22 decimals). No exponent: the caller checks the byte that
 * follows (a delimiter or a line end), which also rules out "1e5", "1.5x", "0x1". */
static GB_NP_INLINE const char *gb_parse_plain_sentinel(const char *p, double *out)
{
  const int neg = *p == '-';
  p += neg | (*p == '+');
  const char *b = p;
  uint64_t m = 0;
  unsigned d;
  while ((d = (unsigned)(unsigned char)*p - '0') <= 9) {
    m = m * 10 + d; /* may wrap past 19 digits: checked below */
    p++;
  }
  int ndig = (int)(p - b), frac = 0;
  if (*p == '.') {
    const char *fb = ++p;
    while ((d = (unsigned)(unsigned char)*p - '0') <= 9) {
      m = m * 10 + d;
      p++;
    }
    frac = (int)(p - fb);
    ndig += frac;
  }
  if (ndig == 0 || ndig > 19 || frac > 22 || m > GB_NP_MANT_EXACT_MAX) return NULL;
  double v = m == 0 ? 0.0 : frac ? (double)m / gb_np_pow10_exact[frac] : (double)m;
  *out = neg ? -v : v;
  return p;
}

#endif
