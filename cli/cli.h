/* cli/cli.h — shared pieces of the xhypre command: exit codes, rank-0 output, errors and
 * warnings, the JSON channel (cli/output.c), and the generator arguments that "gen" and
 * "solve --gen" share (cli/gen_args.c). */
#ifndef XH_CLI_H
#define XH_CLI_H

#include <stdio.h>

#include "xhypre.h"

enum { CLI_CONVERGED = 0, CLI_NOT_CONVERGED = 1, CLI_USAGE = 2, CLI_INTERNAL = 3 };

extern int cli_rank;

/* printf on rank 0 only. */
void cli_out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "xhypre: error: ..." on stderr (rank 0), and the JSON error object in --json mode; returns
 * CLI_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "xhypre: warning: ..." on stderr (rank 0). */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Reports a failed library call on rank 0 (and as the JSON error object in --json mode) and
 * returns its exit code: 2 for bad input, 3 else. */
int cli_fail(xh_status st, const char *what);
/* Exit code for a failed status: CLI_USAGE for argument/file/format/size errors, else CLI_INTERNAL. */
int cli_exit_code(xh_status st);

/* --json: from here on stdout carries nothing but the one JSON object; everything else printed
 * to stdout (HYPRE's notes, the monitor, --view) goes to stderr.  0, or CLI_INTERNAL. */
int cli_json_mode(void);
/* The stream for the one JSON object, on rank 0 in --json mode (NULL elsewhere, and after it was
 * taken once). */
FILE *cli_json_take(void);
/* {"status":"error","error":...,"message":...} as the JSON object, when in --json mode. */
void cli_json_error(const char *error, const char *message);
/* Prints s as a JSON string literal (quotes and escapes). */
void cli_json_string(FILE *out, const char *s);

/* Generator arguments: KIND [nx [ny [nz]]] starting at argv[*k], into p set up by
 * xh_gen_params_default (options given before --gen stay).  Consumes what it parses;
 * returns 0, or CLI_USAGE after printing why (a size that is not a positive integer, a fourth
 * size). */
int cli_parse_gen(int argc, char **argv, int *k, const char **kind, xh_gen_params *p);
/* Whether arg is one of the generator's options (--block/--conv/--nx/--ny/--nz), and parsing
 * one at argv[*k] (with its value). */
int cli_is_gen_option(const char *arg);
int cli_parse_gen_option(int argc, char **argv, int *k, xh_gen_params *p);
/* Warns about generator options the kind does not read (kind NULL: a matrix file). */
void cli_gen_warn_unused(const char *kind, const xh_gen_params *p);

int cli_cmd_solve(int argc, char **argv);
int cli_cmd_gen(int argc, char **argv);
int cli_cmd_info(int argc, char **argv);

#endif /* XH_CLI_H */
