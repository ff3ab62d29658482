/* CLI helpers shared by the subcommands: messages to stderr with the program
 * prefix, verbosity, and strict option-value parsing in the C locale. */
#ifndef GB_CLI_UTIL_H
#define GB_CLI_UTIL_H
#include <stdio.h>

#if defined(__GNUC__)
#define GB_CLI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define GB_CLI_PRINTF(a, b)
#endif

extern int gb_cli_verbosity; /* 0 quiet (-q), 1 normal, 2 verbose (-v) */

void gb_cli_error(const char *fmt, ...) GB_CLI_PRINTF(1, 2);  /* "gaitbatch: error: ..." */
void gb_cli_warn(const char *fmt, ...) GB_CLI_PRINTF(1, 2);   /* "gaitbatch: warning: ..." (not with -q) */
void gb_cli_info(const char *fmt, ...) GB_CLI_PRINTF(1, 2);   /* "gaitbatch: ..." (with -v only) */

/* Parses a whole option value; prints a usage error naming the option on failure. */
int gb_cli_parse_double(const char *opt, const char *s, double lo, double hi, double *out);
int gb_cli_parse_int(const char *opt, const char *s, long lo, long hi, long *out);
/* Creates a directory and its parents (mkdir -p). 0 or -1 with errno. */
int gb_cli_mkdirs(const char *path);

#endif
