/* One-line run summaries on stdout: a text table row or a JSON object (JSON Lines). */
#ifndef GB_CLI_PRINT_SUMMARY_H
#define GB_CLI_PRINT_SUMMARY_H
#include <stdio.h>
#include "gaitbatch/analyzer.h"
#include "gaitbatch/types.h"

void gb_cli_print_summary_header(FILE *f);
void gb_cli_print_summary_row(FILE *f, const char *run_id, const gb_summary *s, size_t n_flags,
                              const char *report);
void gb_cli_print_summary_json(FILE *f, const char *run_id, const gb_summary *s,
                               const gb_flag *flags, size_t n_flags, const char *report);
#endif
