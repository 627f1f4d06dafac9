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

/* The rows.  A row's precond label may name a variant of xhypre's preconditioner (ilu0-rcm:
 * ilu0 in HYPRE's RCM order), and its mode label a variant of a solve mode (fp64/xhypre: fp64
 * over xhypre's vector kernels); the options say how.
 * Standard set, in each mode: ilu0 and boomeramg with GMRES(30) are the comparison with the
 * peers; jacobi is the preconditioner the mixed modes apply in FP32 (HYPRE's others run in FP64
 * through an adapter); CG and BiCGSTAB rows run where the matrix suits them; in fp64 also ilu0 in
 * HYPRE's RCM order, against xhypre's default natural order.
 * Krylov set: HYPRE's GMRES and COGMRES over HYPRE's vectors (fp64), over xhypre's FP64 kernels
 * (fp64/xhypre), with Dot2 (eft) and as FP32 inner solves (mixed), with jacobi and ilu0.
 * Block-ISAI set: GMRES(30) with -precond bisai in the fp64 mode (HYPRE's GMRES, M applied in
 * FP64 arithmetic over its stored blocks) and the mixed mode (FP32 inner solves, M applied in
 * FP32), variants ilu and general, storage fp32 (and adaptive in mixed), and mixed ilu fp32 with
 * the CSR product of A (-matvec csr) beside the default (BSR where it pays); the problem's block
 * size, when the bench was given one (@B), is passed as -block_size (else bisai detects 1..8). */
typedef struct bench_xh_row {
    const char *method, *precond, *mode, *options;
    bench_applies applies;
} bench_xh_row;

static const bench_xh_row bench_xh_standard[] = {
    {"gmres", "ilu0", NULL, "", BENCH_ANY},
    {"gmres", "boomeramg", NULL, "", BENCH_ANY},
    {"gmres", "jacobi", NULL, "", BENCH_ANY},
    {"pcg", "boomeramg", NULL, "", BENCH_SPD_LIKE},
    {"bicgstab", "ilu0", NULL, "", BENCH_NONSYM},
};
#define BENCH_XH_NSTANDARD (int)(sizeof bench_xh_standard / sizeof bench_xh_standard[0])

static const bench_xh_row bench_xh_extra[] = {
    {"gmres", "ilu0-rcm", "fp64", "-precond ilu0 -ilu_reorder rcm", BENCH_ANY},
};

static const bench_xh_row bench_xh_krylov[] = {
    {"gmres", "jacobi", "fp64", "", BENCH_ANY},
    {"cogmres", "jacobi", "fp64", "", BENCH_ANY},
    {"gmres", "jacobi", "fp64/xhypre", "-precision fp64 -kernels xhypre", BENCH_ANY},
    {"cogmres", "jacobi", "fp64/xhypre", "-precision fp64 -kernels xhypre", BENCH_ANY},
    {"gmres", "jacobi", "eft", "", BENCH_ANY},
    {"cogmres", "jacobi", "eft", "", BENCH_ANY},
    {"gmres", "jacobi", "mixed", "", BENCH_ANY},
    {"cogmres", "jacobi", "mixed", "", BENCH_ANY},
    {"gmres", "ilu0", "fp64", "", BENCH_ANY},
    {"cogmres", "ilu0", "fp64", "", BENCH_ANY},
    {"gmres", "ilu0", "fp64/xhypre", "-precision fp64 -kernels xhypre", BENCH_ANY},
    {"cogmres", "ilu0", "fp64/xhypre", "-precision fp64 -kernels xhypre", BENCH_ANY},
    {"gmres", "ilu0", "eft", "", BENCH_ANY},
    {"cogmres", "ilu0", "eft", "", BENCH_ANY},
    {"gmres", "ilu0", "mixed", "", BENCH_ANY},
    {"cogmres", "ilu0", "mixed", "", BENCH_ANY},
};
#define BENCH_XH_NKRYLOV (int)(sizeof bench_xh_krylov / sizeof bench_xh_krylov[0])

#define BENCH_XH_BISAI(mode, variant, storage)                                                  \
    {"gmres", "bisai-" variant "-" storage, mode,                                               \
     "-precond bisai -bisai_variant " variant " -bisai_precision " storage, BENCH_ANY}
/* fp64 with fp32 storage only: its FP64 apply reads the stored blocks either way, and adaptive
 * storage pays off where the bytes matter, in the FP32 inner solves (the fp64 adaptive rows were
 * within noise of the fp32 ones in a trial run). */
static const bench_xh_row bench_xh_bisai[] = {
    BENCH_XH_BISAI("fp64", "ilu", "fp32"),      BENCH_XH_BISAI("fp64", "general", "fp32"),
    BENCH_XH_BISAI("mixed", "ilu", "fp32"),     BENCH_XH_BISAI("mixed", "ilu", "adaptive"),
    BENCH_XH_BISAI("mixed", "general", "fp32"), BENCH_XH_BISAI("mixed", "general", "adaptive"),
    /* the FP32 inner solves with the CSR product of A: the baseline of -matvec auto's BSR */
    {"gmres", "bisai-ilu-fp32-csr", "mixed",
     "-precond bisai -bisai_variant ilu -bisai_precision fp32 -matvec csr", BENCH_ANY},
};
#define BENCH_XH_NBISAI (int)(sizeof bench_xh_bisai / sizeof bench_xh_bisai[0])

/* The row of config c (its index: standard rows per mode, then the extra ones; krylov; bisai). */
static const bench_xh_row *bench_xh_row_of(const bench_config *c)
{
    if (c->index >= 3000) return &bench_xh_bisai[c->index - 3000];
    if (c->index >= 2000) return &bench_xh_krylov[c->index - 2000];
    if (c->index >= 1000) return &bench_xh_extra[c->index - 1000];
    return &bench_xh_standard[c->index];
}

static int bench_xh_add(bench_config *cfg, int *count, int max, const bench_xh_row *row,
                        const char *mode, int index)
{
    if (*count >= max) return -1;
    bench_config *c = &cfg[(*count)++];
    memset(c, 0, sizeof *c);
    c->package = &bench_package_xhypre;
    snprintf(c->method, sizeof c->method, "%s", row->method);
    snprintf(c->precond, sizeof c->precond, "%s", row->precond);
    snprintf(c->mode, sizeof c->mode, "%s", mode);
    c->applies = row->applies;
    c->index = index;
    return 0;
}

static int bench_xh_list(bench_config *cfg, int *count, int max, bench_row_set set)
{
    const char *mode;
    if (set == BENCH_ROWS_KRYLOV) {
        for (int r = 0; r < BENCH_XH_NKRYLOV; r++)
            if (bench_xh_add(cfg, count, max, &bench_xh_krylov[r], bench_xh_krylov[r].mode, 2000 + r))
                return -1;
        return 0;
    }
    if (set == BENCH_ROWS_BISAI) {
        for (int r = 0; r < BENCH_XH_NBISAI; r++)
            if (bench_xh_add(cfg, count, max, &bench_xh_bisai[r], bench_xh_bisai[r].mode, 3000 + r))
                return -1;
        return 0;
    }
    for (int m = 0; (mode = xh_option_choice("precision", m)) != NULL; m++)
        for (int r = 0; r < BENCH_XH_NSTANDARD; r++)
            if (bench_xh_add(cfg, count, max, &bench_xh_standard[r], mode, r)) return -1;
    for (int r = 0; r < (int)(sizeof bench_xh_extra / sizeof bench_xh_extra[0]); r++)
        if (bench_xh_add(cfg, count, max, &bench_xh_extra[r], bench_xh_extra[r].mode, 1000 + r))
            return -1;
    return 0;
}

/* Builds the solver options of row c: its method, preconditioner and mode, then its options
 * (and the problem's block size for Block-ISAI). */
static int bench_xh_options(const bench_problem *P, const bench_config *c,
                            const bench_solve_in *in, xh_options *opt)
{
    if (xh_options_default(opt) < 0) return -1;
    snprintf(opt->solver, sizeof opt->solver, "%s", c->method);
    snprintf(opt->precond, sizeof opt->precond, "%s", c->precond);
    snprintf(opt->precision, sizeof opt->precision, "%s", c->mode);
    opt->tol = in->tol;
    opt->maxit = in->maxit;
    opt->restart = in->restart;
    opt->history = in->nreuse == 0;
    const char *extra = bench_xh_row_of(c)->options;
    if (extra[0] && xh_options_from_string(opt, extra) < 0) return -1;
    if (P->block_size > 0 && strcmp(opt->precond, "bisai") == 0) opt->block_size = P->block_size;
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
    if (bench_xh_options(P, c, in, &opt) < 0) return bench_xh_fail(out, "options");

    double t0 = bench_start(P->comm);
    /* Each xh_ call agrees on its status over the ranks, so all ranks leave together. */
    if (xh_solver_create(P->comm, &S) < 0 || xh_solver_set_options(S, &opt) < 0 ||
        xh_solver_set_matrix(S, P->A) < 0 || xh_solver_setup(S) < 0) {
        rc = bench_xh_fail(out, "setup");
        goto done;
    }
    out->setup_s = bench_stop(P->comm, t0);

    /* Reuse: K solves after the one setup, each from x = 0. */
    for (int k = 0; k < in->nreuse; k++) {
        t0 = bench_start(P->comm);
        if (xh_solver_solve(S, in->reuse_b[k], in->reuse_x[k], &stats) < 0) {
            rc = bench_xh_fail(out, "solve");
            goto done;
        }
        in->reuse_solve_s[k] = bench_stop(P->comm, t0);
        in->reuse_its[k] = stats.iterations;
        out->solve_s += in->reuse_solve_s[k];
        out->iterations = stats.iterations;
        out->own_converged = stats.reason == XH_CONVERGED;
        snprintf(out->reason, sizeof out->reason, "%s", xh_reason_name(stats.reason));
    }
    if (in->nreuse > 0) goto done;

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
