/* Internal: fast, locale-independent decimal number parsing.
 *
 * Results are bit-identical to strtod in the "C" locale: the Clinger fast path
 * (at most 15 significant digits and a power of ten up to 1e22, where a single
 * correctly rounded multiply or divide is exact) covers sensor data, and anything
 * else falls back to strtod on a bounded copy. */
#ifndef GB_UTIL_NUMPARSE_H
#define GB_UTIL_NUMPARSE_H
#include <stddef.h>

/* Parses exactly the bytes s[0..len) (surrounding spaces allowed) as a decimal
 * number ("nan" and "inf" are accepted, as strtod does). Returns 0 on success,
 * -1 if the text is not a number. */
int gb_parse_double(const char *s, size_t len, double *out);

#endif
