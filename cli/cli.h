/* cli/cli.h — shared pieces of the xhypre command: exit codes, rank-0 output, errors and
 * warnings, the JSON channel (cli/output.c), and the generator arguments that "gen" and
 * "solve --gen" share (cli/gen_args.c). */
#ifndef XH_CLI_H
#define XH_CLI_H

#include <stdio.h>

#include "xhypre.h"

enum { CLI_CONVERGED = 0, CLI_NOT_CONVERGED = 1, CLI_USAGE = 2, CLI_INTERNAL = 3, CLI_INTERRUPTED = 4 };

/* The rank that prints (0 prints; "batch" sets it to the rank in the job's group, and -1 to
 * check jobs silently). */
extern int cli_rank;
/* Where the errors and warnings printed come from ("jobs.txt:12" in a batch), or NULL. */
extern const char *cli_where;
/* The JSON channel of --json mode (cli_json_take hands it out once); "batch" points it at the
 * record of the job in hand. */
extern FILE *cli_json;

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
/* The same with the message given (a failure kept from earlier) instead of xh_error_message(). */
int cli_fail_message(xh_status st, const char *what, const char *msg);
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

/* One solve as "xhypre solve" runs it, in parts that "xhypre batch" reuses: the arguments, the
 * checks of the files they name, the matrix, and the job on a matrix (the right-hand side, the
 * solve, its report). */
typedef struct cli_solve_args {
    MPI_Comm comm;
    const char *matrix, *gen_kind, *rhs, *x0, *out, *xstar;
    xh_gen_params gen;
    unsigned long long seed;
    int json, view, log_view, seed_given;
} cli_solve_args;
/* Sets S's options to those in argv (argv is rearranged; xh_solver_replace_from_args) and a to
 * the others.  0, -1 after
 * --help, or CLI_USAGE after printing why. */
int cli_solve_parse(int argc, char **argv, MPI_Comm comm, cli_solve_args *a, xh_solver *S);
/* Whether the files the arguments name can be read (written for -o), before anything is read
 * or solved, so that a typo in -o does not cost a whole solve.  Rank 0 checks; every rank
 * returns its verdict: 0 or CLI_USAGE. */
int cli_solve_check_paths(const cli_solve_args *a);
xh_status cli_solve_load(const cli_solve_args *a, xh_matrix **A);
/* The matrix file, or the generator's kind. */
const char *cli_solve_matrix_name(const cli_solve_args *a);
/* Makes b, solves with S on A and reports (summary line, or the JSON object in --json mode).
 * The exit code: CLI_CONVERGED / CLI_NOT_CONVERGED with *stats filled, or the failure's. */
int cli_solve_job(const cli_solve_args *a, xh_solver *S, xh_matrix *A, xh_stats *stats);

int cli_cmd_solve(int argc, char **argv);
int cli_cmd_gen(int argc, char **argv);
int cli_cmd_info(int argc, char **argv);
int cli_cmd_batch(int argc, char **argv);

#endif /* XH_CLI_H */
