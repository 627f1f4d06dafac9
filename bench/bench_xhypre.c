/* bench/bench_xhypre.c — xhypre as the benchmark sees it: through its public API only
 * (xh_solver_*), in every solve mode that the library registers (xh_option_choice("precision",
 * i)), so the modes that later versions add are measured without changing the bench.
 *
 * Times are taken around the public calls, as a user would see them: setup is create + options +
 * matrix + xh_solver_setup; solve is xh_solver_solve, which includes xhypre's own FP64
 * true-residual check after the solve (one extra matrix-vector product).
 */
#include <stdlib.h>
#include <string.h>

#include "bench_solvers.h"

/* The rows measured in each mode.  ilu0 and boomeramg with GMRES(30) are the comparison with the
 * peers; jacobi is the preconditioner the mixed modes apply in FP32 (HYPRE's others run in FP64
 * through an adapter); CG and BiCGSTAB rows run where the matrix suits them. */
static const struct {
    const char *method, *precond;
    bench_applies applies;
} bench_xh_rows[] = {
    {"gmres", "ilu0", BENCH_ANY},
    {"gmres", "boomeramg", BENCH_ANY},
    {"gmres", "jacobi", BENCH_ANY},
    {"pcg", "boomeramg", BENCH_SPD_LIKE},
    {"bicgstab", "ilu0", BENCH_NONSYM},
};
#define BENCH_XH_NROWS (int)(sizeof bench_xh_rows / sizeof bench_xh_rows[0])

static int bench_xh_list(bench_config *cfg, int *count, int max)
{
    const char *mode;
    for (int m = 0; (mode = xh_option_choice("precision", m)) != NULL; m++)
        for (int r = 0; r < BENCH_XH_NROWS; r++) {
            if (*count >= max) return -1;
            bench_config *c = &cfg[(*count)++];
            memset(c, 0, sizeof *c);
            c->package = &bench_package_xhypre;
            snprintf(c->method, sizeof c->method, "%s", bench_xh_rows[r].method);
            snprintf(c->precond, sizeof c->precond, "%s", bench_xh_rows[r].precond);
            snprintf(c->mode, sizeof c->mode, "%s", mode);
            c->applies = bench_xh_rows[r].applies;
            c->index = r;
        }
    return 0;
}

/* Builds the solver options of row c. */
static int bench_xh_options(const bench_config *c, const bench_solve_in *in, xh_options *opt)
{
    if (xh_options_default(opt) < 0) return -1;
    snprintf(opt->solver, sizeof opt->solver, "%s", c->method);
    snprintf(opt->precond, sizeof opt->precond, "%s", c->precond);
    snprintf(opt->precision, sizeof opt->precision, "%s", c->mode);
    opt->tol = in->tol;
    opt->maxit = in->maxit;
    opt->restart = in->restart;
    opt->history = 1;
    return 0;
}

static int bench_xh_fail(bench_solve_out *out, const char *what)
{
    out->failed = 1;
    bench_msg(out->error, sizeof out->error, "%s: %s", what, xh_error_message());
    return -1;
}

static int bench_xh_solve(bench_problem *P, const bench_config *c, const bench_solve_in *in,
                          double *x, bench_solve_out *out)
{
    xh_solver *S = NULL;
    xh_options opt;
    xh_stats stats;
    int rc = 0;
    if (bench_xh_options(c, in, &opt) < 0) return bench_xh_fail(out, "options");

    double t0 = bench_start(P->comm);
    /* Each xh_ call agrees on its status over the ranks, so all ranks leave together. */
    if (xh_solver_create(P->comm, &S) < 0 || xh_solver_set_options(S, &opt) < 0 ||
        xh_solver_set_matrix(S, P->A) < 0 || xh_solver_setup(S) < 0) {
        rc = bench_xh_fail(out, "setup");
        goto done;
    }
    out->setup_s = bench_stop(P->comm, t0);

    t0 = bench_start(P->comm);
    if (xh_solver_solve(S, in->b, x, &stats) < 0) {
        rc = bench_xh_fail(out, "solve");
        goto done;
    }
    out->solve_s = bench_stop(P->comm, t0);
    out->iterations = stats.iterations;
    out->own_converged = stats.reason == XH_CONVERGED;
    snprintf(out->reason, sizeof out->reason, "%s", xh_reason_name(stats.reason));
    if (stats.history_len > 0) {
        out->history = malloc((size_t)stats.history_len * sizeof *out->history);
        if (out->history) {
            memcpy(out->history, stats.history, (size_t)stats.history_len * sizeof *out->history);
            out->history_len = stats.history_len;
        }
    }
done:
    xh_solver_destroy(&S);
    return rc;
}

static void bench_xh_version(char *buf, size_t size)
{
    snprintf(buf, size, "xhypre %s", XH_VERSION_STRING);
}

const bench_package bench_package_xhypre = {"xhypre", bench_xh_list, NULL, NULL, bench_xh_solve,
                                            bench_xh_version};
