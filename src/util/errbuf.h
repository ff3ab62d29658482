/* Internal: formatting of detail messages into fixed buffers. */
#ifndef GB_UTIL_ERRBUF_H
#define GB_UTIL_ERRBUF_H
#include <stddef.h>

#if defined(__GNUC__)
#define GB_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define GB_PRINTF(a, b)
#endif

/* snprintf into buf (if buf and len), returns status unchanged so callers can
 * write `return gb_err(buf, len, GB_EFORMAT, "%s:%zu: ...", ...);` */
int gb_err(char *buf, size_t len, int status, const char *fmt, ...) GB_PRINTF(4, 5);
/* Like gb_err but appends to what buf already holds ("; "-separated). */
void gb_errcat(char *buf, size_t len, const char *fmt, ...) GB_PRINTF(3, 4);
/* strncpy that always terminates; returns dst. */
char *gb_strlcpy(char *dst, const char *src, size_t len);

#endif
