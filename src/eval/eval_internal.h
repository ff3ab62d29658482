/* Internal to src/eval: a small CSV table reader for truth files, step matching and
 * order statistics. */
#ifndef GB_EVAL_INTERNAL_H
#define GB_EVAL_INTERNAL_H
#include <stddef.h>

/* ---- CSV tables (truth files) ---------------------------------------------- */

/* A whole small CSV file: a header row and data rows, comma-separated, fields may be
 * double-quoted ("" inside quotes is a quote). Empty lines and lines starting with '#'
 * are skipped; CRLF is accepted. line[r] is the 1-based file line of data row r. */
typedef struct gb_csv_table {
  char path[4096];
  size_t n_cols, n_rows;
  size_t header_line;   /* 1-based file line of the header */
  char **header;        /* n_cols names, trimmed */
  char **cells;         /* n_rows × n_cols, "" for missing trailing fields */
  size_t *line;
  char *store;          /* backing storage */
} gb_csv_table;

/* GB_ENOENT (without message) when the file does not exist; GB_EFORMAT naming
 * file:line for a row with more fields than the header or an unterminated quote. */
int gb_csv_read(const char *path, gb_csv_table *t, char *err, size_t errlen);
void gb_csv_free(gb_csv_table *t);
/* Column index of a header name (case-insensitive), or -1. */
long gb_csv_col(const gb_csv_table *t, const char *name);
const char *gb_csv_cell(const gb_csv_table *t, size_t row, long col); /* "" if col < 0 */
/* Parses a cell as a number: 0 ok, 1 empty (out = NaN), -1 not a number. */
int gb_csv_num(const gb_csv_table *t, size_t row, long col, double *out);

/* ---- names (mirror gb_event_kind_name / gb_landing_name / gb_landing_pattern_name,
 *      fixed by the truth contract so that truth files do not depend on the analyzer) */
int gb_eval_event_kind_parse(const char *s);        /* 1..8, or -1 */
const char *gb_eval_event_kind_str(int kind);       /* "?" when out of range */
int gb_eval_landing_parse(const char *s);           /* gb_landing, -1 unknown text */
int gb_eval_pattern_parse(const char *s);           /* gb_landing_pattern, -1 */

/* Slack added to time tolerances so that a difference of exactly the tolerance,
 * computed in binary floating point (0.525 − 0.5 = 0.025000000000000022), matches:
 * 1 ns is far below any sample period. */
#define GB_EVAL_TIME_EPS_S 1e-9

/* ---- step matching --------------------------------------------------------- */

/* One-to-one matching of detections det[0..nd) to truth[0..nt) (both any order; NaN
 * truth times never match) within |det − truth| ≤ tol, greedy by smallest |dt|, ties
 * broken by truth index then detection index. match_t[i] = detection index matched
 * to truth i or -1; match_d[j] likewise. Returns the number of pairs, or -1 on ENOMEM. */
long gb_eval_match(const double *truth, size_t nt, const double *det, size_t nd, double tol,
                   long *match_t, long *match_d);

/* Quantile with linear interpolation between order statistics at (n − 1)·q
 * (Hyndman & Fan type 7, numpy's default) of x sorted ascending. NaN if n == 0. */
double gb_eval_quantile_sorted(const double *x, size_t n, double q);

#endif
