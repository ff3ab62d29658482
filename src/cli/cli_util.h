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

/* Writes s as a JSON string literal (quotes included) to f. */
void gb_cli_json_string(FILE *f, const char *s);
/* Loads the config: defaults, then FILE when given. Prints the error; 0 or -1. */
struct gb_config;
int gb_cli_load_config(struct gb_config *cfg, const char *path);
/* Creation time for reports: SOURCE_DATE_EPOCH when set (reproducible builds
 * convention), else now; UTC ISO 8601 into out[32]. */
void gb_cli_created_iso(char out[32]);
