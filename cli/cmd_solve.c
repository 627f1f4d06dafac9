/* cli/cmd_solve.c — "xhypre solve": read or generate A, make b, solve, report.
 *
 * The right-hand side is b = A·x* with x* = ones (--rhs ones, the default) or x* uniform in
 * [-1, 1] from --seed (--rhs random), so the forward error ||x - x*|| / ||x*|| is known (against
 * x*, while b is fl(A x*): on an ill-conditioned A the exact solution of A x = b differs from x*
 * by up to cond(A) u); or b from a file, with --xstar the exact solution of that system (forward
 * error null in JSON without it).  x* depends only on the global index, so every number of ranks
 * solves the same system.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void solve_help(void)
{
    cli_out("usage: xhypre solve (A.mtx | --gen KIND [nx [ny [nz]]]) [options]\n\n"
            "  A.mtx                    the matrix: MatrixMarket (.mtx, .mtx.gz) or PETSc binary\n"
            "                           (MatView), told apart by content; vectors likewise\n"
            "  --gen KIND [nx [ny [nz]]] generated matrix instead (see xhypre gen --help);\n"
            "                           with --block b (reacdiff), --conv c (convdiff2d/3d),\n"
            "                           --nx/--ny/--nz n\n"
            "  --rhs ones|random|b.mtx  right-hand side: A*1, A*x* with x* random, or a file\n"
            "                           (default ones)\n"
            "  --seed N                 seed of --rhs random (default 1)\n"
            "  --xstar x.mtx            the exact solution of A x = b for the forward error\n"
            "                           (with --rhs b.mtx)\n"
            "  --x0 x0.mtx              initial guess (default 0)\n"
            "  -o x.mtx                 write the solution (checked writable before the solve)\n"
            "  --json                   print one JSON object instead of the summary line: stdout\n"
            "                           then carries only that object (errors included); the\n"
            "                           monitor, --view and HYPRE's own notes go to stderr\n"
            "  --view                   describe the solver, the preconditioner and the matrix\n"
            "                           distribution as built (like PETSc's -ksp_view)\n"
            "  --log-view               timing breakdown per event (read, assembly, setup, matvec,\n"
            "                           preconditioner, vector ops, reductions), max/min over\n"
            "                           ranks (like PETSc's -log_view; always in --json as \"log\")\n"
            "Options that have no effect with the others are warned about on stderr.\n"
            "solver options (flags take an optional true|false, 1|0, yes|no, on|off):\n");
    if (cli_rank == 0) xh_options_print_help(stdout);
}

/* Deterministic x*_i in [-1, 1] from (seed, global index): splitmix64. */
static double random_entry(unsigned long long seed, long long i)
{
    uint64_t z = seed * 0x9E3779B97F4A7C15ULL + (uint64_t)i + 1;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1.0p-52 - 1.0;
}

int cli_solve_parse(int argc, char **argv, MPI_Comm comm, cli_solve_args *a, xh_solver *S)
{
    xh_status st = xh_solver_replace_from_args(S, &argc, argv);
    if (st < 0) return cli_fail(st, "options");
    memset(a, 0, sizeof *a);
    a->comm = comm;
    xh_gen_params_default(&a->gen);
    a->rhs = "ones";
    a->seed = 1;
    for (int k = 1; k < argc;) {
        const char *arg = argv[k];
        int has_value = k + 1 < argc;
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            solve_help();
            return -1;
        } else if (strcmp(arg, "--json") == 0 || strcmp(arg, "--view") == 0 ||
                   strcmp(arg, "--log-view") == 0) {
            int *flag = arg[2] == 'j' ? &a->json : arg[2] == 'v' ? &a->view : &a->log_view;
            *flag = 1;
            k++;
        } else if (strcmp(arg, "--gen") == 0) {
            k++;
            if (cli_parse_gen(argc, argv, &k, &a->gen_kind, &a->gen)) return CLI_USAGE;
        } else if (cli_is_gen_option(arg)) {
            if (cli_parse_gen_option(argc, argv, &k, &a->gen)) return CLI_USAGE;
        } else if (strcmp(arg, "--rhs") == 0 || strcmp(arg, "--x0") == 0 || strcmp(arg, "-o") == 0 ||
                   strcmp(arg, "--seed") == 0 || strcmp(arg, "--xstar") == 0) {
            if (!has_value) return cli_usage_error("option %s needs a value", arg);
            const char *value = argv[k + 1];
            if (strcmp(arg, "--rhs") == 0) a->rhs = value;
            else if (strcmp(arg, "--x0") == 0) a->x0 = value;
            else if (strcmp(arg, "-o") == 0) a->out = value;
            else if (strcmp(arg, "--xstar") == 0) a->xstar = value;
            else {
                char *end;
                a->seed = strtoull(value, &end, 10);
                if (end == value || *end) return cli_usage_error("--seed: '%s' is not an integer", value);
                a->seed_given = 1;
            }
            k += 2;
        } else if (arg[0] == '-') {
            return cli_usage_error("solve: unknown option '%s' (xhypre solve --help lists them)", arg);
        } else if (!a->matrix) {
            a->matrix = arg;
            k++;
        } else {
            return cli_usage_error("solve: unexpected argument '%s'", arg);
        }
    }
    if (!a->matrix && !a->gen_kind)
        return cli_usage_error("solve: give a matrix file or --gen KIND (xhypre solve --help)");
    if (a->matrix && a->gen_kind)
        return cli_usage_error("solve: give a matrix file or --gen, not both (got '%s' and --gen %s)",
                               a->matrix, a->gen_kind);
    if (a->xstar && (strcmp(a->rhs, "ones") == 0 || strcmp(a->rhs, "random") == 0))
        return cli_usage_error("solve: --xstar is the solution of a given --rhs b.mtx (with --rhs "
                               "%s, x* is known already)", a->rhs);
    return 0;
}

static double global_norm2(MPI_Comm comm, const double *v, HYPRE_Int n)
{
    double local = 0, total = 0;
    for (HYPRE_Int i = 0; i < n; i++) local += v[i] * v[i];
    MPI_Allreduce(&local, &total, 1, MPI_DOUBLE, MPI_SUM, comm);
    return sqrt(total);
}

/* The timing breakdown as "log":{"EVENT":{"count":..,"min_s":..,"max_s":..},...}. */
static void print_json_log(FILE *out, const xh_log *log)
{
    fprintf(out, ",\"log\":{");
    for (int e = 0; e < log->nevents; e++) {
        const xh_log_event *ev = &log->event[e];
        fprintf(out, "%s", e ? "," : "");
        cli_json_string(out, ev->name);
        fprintf(out, ":{\"count\":%lld,\"min_s\":%.6e,\"max_s\":%.6e}", ev->count, ev->min_s, ev->max_s);
    }
    fprintf(out, "}");
}

static void print_json(FILE *out, const cli_solve_args *a, const xh_stats *s, double fwd_err, int have_fwd)
{
    fprintf(out, "{\"status\":\"%s\",\"iterations\":%d,\"true_relres\":%.6e,\"solver_relres\":%.6e,",
            xh_reason_name(s->reason), s->iterations, s->true_relres, s->solver_relres);
    if (have_fwd) fprintf(out, "\"fwd_err\":%.6e,", fwd_err);
    else fprintf(out, "\"fwd_err\":null,");
    fprintf(out, "\"setup_s\":%.6f,\"setup_kind\":\"%s\",\"solve_s\":%.6f,\"n\":%lld,\"nnz\":%lld,"
                 "\"ranks\":%d,",
            s->setup_s, xh_setup_kind_name(s->setup_kind), s->solve_s, s->n, s->nnz, s->ranks);
    fprintf(out, "\"solver\":\"%s\",\"precond\":\"%s\",\"precision\":\"%s\",\"kernels\":\"%s\","
                 "\"matvec\":\"%s\",",
            s->solver, s->precond, s->precision, s->kernels, s->matvec);
    fprintf(out, "\"inner_solver\":");
    if (s->inner_solver[0]) cli_json_string(out, s->inner_solver);
    else fprintf(out, "null");
    fprintf(out, ",\"matrix\":");
    cli_json_string(out, a->matrix ? a->matrix : a->gen_kind);
    fprintf(out, ",\"rhs\":");
    cli_json_string(out, a->rhs);
    if (s->outer_steps > 0) {
        fprintf(out, ",\"outer_steps\":%d,\"precision_switches\":%d,\"switch_reason\":", s->outer_steps,
                s->precision_switches);
        if (s->switch_reason[0]) cli_json_string(out, s->switch_reason);
        else fprintf(out, "null");
        fprintf(out, ",\"last_correction\":%.6e", s->last_correction);
    }
    if (s->stop_reason[0]) {
        fprintf(out, ",\"stop_reason\":");
        cli_json_string(out, s->stop_reason);
        fprintf(out, ",\"fwd_err_estimate\":");
        if (s->fwd_err_estimate >= 0) fprintf(out, "%.6e", s->fwd_err_estimate);
        else fprintf(out, "null");
        fprintf(out, ",\"backward_error\":%.6e", s->backward_error);
    }
    const xh_precond_info *pi = &s->precond_info;
    if (pi->block_size > 0) {
        fprintf(out, ",\"precond_info\":{\"variant\":\"%s\",\"storage\":\"%s\",\"block_size\":%d,"
                     "\"fill_ratio\":%.4f,\"padded_rows\":%lld,\"blocks\":%lld,\"blocks_fp64\":%lld,"
                     "\"blocks_fp32\":%lld,\"blocks_fp16\":%lld,\"bytes\":%lld,\"bytes_fp32\":%lld,"
                     "\"excess_rows\":%lld,\"fallback_rows\":%lld,\"singular_pivots\":%lld,"
                     "\"max_unknowns\":%d}",
                pi->variant, pi->storage, pi->block_size,
                pi->nnz > 0 ? (double)pi->stored / (double)pi->nnz : 1.0, pi->padded_rows, pi->nnzb,
                pi->blocks_fp64, pi->blocks_fp32, pi->blocks_fp16, pi->bytes, pi->bytes_fp32,
                pi->excess_rows, pi->fallback_rows, pi->singular_pivots, pi->max_unknowns);
    }
    if (s->history_len > 0) {
        fprintf(out, ",\"history\":[");
        for (int i = 0; i < s->history_len; i++) fprintf(out, "%s%.6e", i ? "," : "", s->history[i]);
        fprintf(out, "]");
    }
    if (s->history_len > 0 && s->history_inner) {
        fprintf(out, ",\"history_inner_iterations\":[");
        for (int i = 0; i < s->history_len; i++) fprintf(out, "%s%d", i ? "," : "", s->history_inner[i]);
        fprintf(out, "]");
    }
    print_json_log(out, &s->log);
    fprintf(out, "}\n");
    fflush(out);
}

static void print_summary(const cli_solve_args *a, const xh_stats *s, double fwd_err, int have_fwd)
{
    char fwd[64] = "", refine[192] = "", method[160];
    if (have_fwd) snprintf(fwd, sizeof fwd, ", fwd err %.2e", fwd_err);
    snprintf(method, sizeof method, "%s%s%s, %s kernels, %s matvec", s->precision,
             s->inner_solver[0] ? ", inner " : "", s->inner_solver, s->kernels, s->matvec);
    if (s->outer_steps > 0)
        snprintf(refine, sizeof refine, ", %d outer steps, %d precision switch%s%s%s%s",
                 s->outer_steps, s->precision_switches, s->precision_switches == 1 ? "" : "es",
                 s->switch_reason[0] ? " (" : "", s->switch_reason, s->switch_reason[0] ? ")" : "");
    cli_out("%s: %d iterations%s, true relres %.2e%s, setup %.3f s, solve %.3f s "
            "(%s+%s, %s, n=%lld, nnz=%lld, %d rank%s, %s)\n",
            xh_reason_name(s->reason), s->iterations, refine, s->true_relres, fwd, s->setup_s, s->solve_s,
            s->solver, s->precond, method, s->n, s->nnz, s->ranks, s->ranks > 1 ? "s" : "",
            a->matrix ? a->matrix : a->gen_kind);
    if (s->stop_reason[0])
        cli_out("  refinement stopped: %s; estimated fwd err %.2e, componentwise backward error "
                "%.2e, last ||d||/||x|| %.2e\n",
                s->stop_reason, s->fwd_err_estimate, s->backward_error, s->last_correction);
    const xh_precond_info *pi = &s->precond_info;
    if (pi->block_size > 0)
        cli_out("  %s %s: b=%d, fill %.3f, %lld blocks (fp64 %lld, fp32 %lld, fp16 %lld), "
                "%.2f MB (%s storage; fp32 %.2f MB), excess rows %lld, fallback rows %lld, "
                "singular pivots %lld\n",
                pi->name, pi->variant, pi->block_size,
                pi->nnz > 0 ? (double)pi->stored / (double)pi->nnz : 1.0, pi->nnzb,
                pi->blocks_fp64, pi->blocks_fp32, pi->blocks_fp16, (double)pi->bytes / 1e6,
                pi->storage, (double)pi->bytes_fp32 / 1e6, pi->excess_rows, pi->fallback_rows,
                pi->singular_pivots);
}

/* Whether path can be written, without leaving a file behind when it did not exist. */
static int writable(const char *path)
{
    int existed = access(path, F_OK) == 0;
    FILE *f = fopen(path, "a");
    if (!f) return 0;
    fclose(f);
    if (!existed) remove(path);
    return 1;
}

int cli_solve_check_paths(const cli_solve_args *a)
{
    int code = 0;
    if (cli_rank == 0) {
        int rhs_file = strcmp(a->rhs, "ones") != 0 && strcmp(a->rhs, "random") != 0;
        const char *opts[] = {"--rhs", "--x0", "--xstar"};
        const char *paths[] = {rhs_file ? a->rhs : NULL, a->x0, a->xstar};
        for (int i = 0; i < 3 && !code; i++)
            if (paths[i] && access(paths[i], R_OK) != 0)
                code = cli_usage_error("%s %s: cannot read it: %s", opts[i], paths[i], strerror(errno));
        if (!code && a->out && !writable(a->out))
            code = cli_usage_error("-o %s: cannot write it: %s (checked before the solve)", a->out,
                                   strerror(errno));
    }
    MPI_Bcast(&code, 1, MPI_INT, 0, a->comm);
    return code;
}

/* Options of the command that the rest of the command line makes pointless (the library warns
 * about its own through xh_solver_options_left). */
static void warn_unused(const cli_solve_args *a, const xh_solver *S)
{
    xh_options opt;
    xh_solver_get_options(S, &opt);
    cli_gen_warn_unused(a->gen_kind, &a->gen);
    if (a->seed_given && strcmp(a->rhs, "random") != 0)
        cli_warn("option --seed has no effect: it seeds --rhs random (the right-hand side is %s)",
                 a->rhs);
    if (opt.history && !a->json)
        cli_warn("option --history has no effect without --json (the history is part of the JSON "
                 "object; --monitor prints it)");
    xh_solver_options_left(S, stderr, NULL);
}

xh_status cli_solve_load(const cli_solve_args *a, xh_matrix **A)
{
    return a->matrix ? xh_matrix_read(a->comm, a->matrix, A)
                     : xh_matrix_generate(a->comm, a->gen_kind, &a->gen, A);
}

const char *cli_solve_matrix_name(const cli_solve_args *a)
{
    return a->matrix ? a->matrix : a->gen_kind;
}

int cli_solve_job(const cli_solve_args *a, xh_solver *S, xh_matrix *A, xh_stats *stats)
{
    double *b = NULL, *x = NULL, *xstar = NULL;
    xh_status st;
    const char *stage = "vectors";
    int code;
    warn_unused(a, S);
    HYPRE_Int n, row_start, nrows;
    xh_matrix_get_sizes(A, &n, &row_start, &nrows, NULL);
    b = calloc((size_t)nrows + 1, sizeof *b);
    x = calloc((size_t)nrows + 1, sizeof *x);
    xstar = calloc((size_t)nrows + 1, sizeof *xstar);
    if (!b || !x || !xstar) {
        st = XH_ERR_MEMORY;
        goto failed;
    }
    int have_xstar = strcmp(a->rhs, "ones") == 0 || strcmp(a->rhs, "random") == 0;
    stage = a->rhs;
    if (have_xstar) {
        for (HYPRE_Int i = 0; i < nrows; i++)
            xstar[i] = a->rhs[0] == 'o' ? 1.0 : random_entry(a->seed, (long long)row_start + i);
        xh_options opt;
        if ((st = xh_solver_get_options(S, &opt)) < 0) goto failed;
        /* b's bits must not depend on the ranks either */
        st = opt.reproducible ? xh_matrix_matvec_reproducible(A, xstar, b)
                              : xh_matrix_matvec(A, xstar, b);
        if (st < 0) goto failed;
    } else if ((st = xh_vector_read(A, a->rhs, b)) < 0) {
        goto failed;
    }
    if (a->xstar) {
        stage = a->xstar;
        if ((st = xh_vector_read(A, a->xstar, xstar)) < 0) goto failed;
        have_xstar = 1;
    }
    if (a->x0) {
        stage = a->x0;
        if ((st = xh_vector_read(A, a->x0, x)) < 0) goto failed;
        if ((st = xh_solver_set_from_string(S, "-initial_guess_nonzero")) < 0) goto failed;
    }
    stage = "solve";
    if ((st = xh_solver_set_matrix(S, A)) < 0 || (st = xh_solver_solve(S, b, x, stats)) < 0)
        goto failed;
    double fwd_err = 0;
    if (have_xstar) {
        for (HYPRE_Int i = 0; i < nrows; i++) b[i] = x[i] - xstar[i];
        fwd_err = global_norm2(a->comm, b, nrows) / global_norm2(a->comm, xstar, nrows);
    }
    /* the solution file first, so that a failure to write it is the one outcome reported */
    if (a->out) {
        stage = a->out;
        if ((st = xh_vector_write(A, a->out, x)) < 0) goto failed;
    }
    stage = "view";
    if (a->view && (st = xh_solver_view(S, stdout)) < 0) goto failed;
    FILE *json_out = cli_json_take();
    if (json_out) print_json(json_out, a, stats, fwd_err, have_xstar);
    else if (!a->json) print_summary(a, stats, fwd_err, have_xstar);
    if (a->log_view && (st = xh_solver_log_view(S, stdout)) < 0) goto failed;
    code = stats->reason == XH_CONVERGED ? CLI_CONVERGED : CLI_NOT_CONVERGED;
    goto done;
failed:
    code = cli_fail(st, stage);
done:
    fflush(stdout);
    free(b);
    free(x);
    free(xstar);
    return code;
}

int cli_cmd_solve(int argc, char **argv)
{
    xh_solver *S = NULL;
    xh_matrix *A = NULL;
    cli_solve_args a;
    xh_stats stats;
    xh_status st;
    int code = 0, json = 0, help = 0;
    for (int k = 1; k < argc; k++) {
        json |= strcmp(argv[k], "--json") == 0;
        help |= strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0;
    }
    if (json && !help && (code = cli_json_mode())) return code;

    if ((st = xh_solver_create(MPI_COMM_WORLD, &S)) < 0) return cli_fail(st, "options");
    code = cli_solve_parse(argc, argv, MPI_COMM_WORLD, &a, S);
    if (!code) code = cli_solve_check_paths(&a);
    if (code) {
        code = code < 0 ? 0 : code;
    } else if ((st = cli_solve_load(&a, &A)) < 0) {
        code = cli_fail(st, cli_solve_matrix_name(&a));
    } else {
        code = cli_solve_job(&a, S, A, &stats);
    }
    xh_solver_destroy(&S);
    xh_matrix_destroy(&A);
    return code;
}
