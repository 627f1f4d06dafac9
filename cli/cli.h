/* cli/cli.h — shared pieces of the xhypre command: exit codes, rank-0 output, error reporting,
 * and the generator arguments that "gen" and "solve --gen" share. */
#ifndef XH_CLI_H
#define XH_CLI_H

#include "xhypre.h"

enum { CLI_CONVERGED = 0, CLI_NOT_CONVERGED = 1, CLI_USAGE = 2, CLI_INTERNAL = 3 };

extern int cli_rank;

/* printf on rank 0 only. */
void cli_out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "xhypre: error: ..." on stderr (rank 0), returns CLI_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Reports a failed library call on rank 0 and returns its exit code: 2 for bad input, 3 else. */
int cli_fail(xh_status st, const char *what);
/* Exit code for a failed status: CLI_USAGE for argument/file/format/size errors, else CLI_INTERNAL. */
int cli_exit_code(xh_status st);

/* Prints s as a JSON string literal (quotes and escapes). */
void cli_json_string(FILE *out, const char *s);

/* Generator arguments: KIND [nx [ny [nz]]] [--block b] [--conv c] starting at argv[*k].
 * Consumes what it parses; returns 0, or CLI_USAGE after printing why. */
int cli_parse_gen(int argc, char **argv, int *k, const char **kind, xh_gen_params *p);
/* Whether arg is one of the generator's options (--block/--conv/--nx/--ny/--nz), and parsing
 * one at argv[*k] (with its value). */
int cli_is_gen_option(const char *arg);
int cli_parse_gen_option(int argc, char **argv, int *k, xh_gen_params *p);

int cli_cmd_solve(int argc, char **argv);
int cli_cmd_gen(int argc, char **argv);
int cli_cmd_info(int argc, char **argv);

#endif /* XH_CLI_H */
