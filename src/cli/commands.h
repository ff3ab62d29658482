/* CLI subcommands: one file per command, each with its own getopt_long.
 * Return values are process exit codes (see README "Exit status"). */
#ifndef GB_CLI_COMMANDS_H
#define GB_CLI_COMMANDS_H

enum { GB_EXIT_OK = 0, GB_EXIT_SOME_FAILED = 1, GB_EXIT_USAGE = 2, GB_EXIT_NOTHING = 3 };

int gb_cmd_analyze(int argc, char **argv);
int gb_cmd_batch(int argc, char **argv);
int gb_cmd_show(int argc, char **argv);
int gb_cmd_synth(int argc, char **argv);
int gb_cmd_eval(int argc, char **argv);
int gb_cmd_bench(int argc, char **argv);
int gb_cmd_config(int argc, char **argv);

#endif
