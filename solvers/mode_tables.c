/* solvers/mode_tables.c — HYPRE's own Krylov methods (GMRES, FlexGMRES, COGMRES, PCG, BiCGSTAB)
 * through their function tables over xhypre's FP64 vectors, with the registry's preconditioner
 * (HYPRE's applied unchanged).  The algorithm, its stopping test and its iteration are HYPRE's: only the arithmetic
 * changes.
 *   eft:                  every inner product and norm by Dot2, merged over the ranks with the
 *                         compensated (TwoSum) MPI reduction, a mass product's k pairs in one
 *                         reduction; -eft_residual: every matvec, the residual b - A x included,
 *                         accumulated error-free row by row.
 *   fp64 -kernels xhypre: xhypre's FP64 vector kernels (multi-vector products and updates, SIMD,
 *                         OpenMP) and xhypre's CSR product.
 * Without -eft_residual both use xhypre's CSR product, so that the two differ only in the inner
 * products.
 */
#include <math.h>
#include <string.h>

#include "private/xhi_krylov.h"
#include "private/xhi_local_bsr.h"

typedef struct xhi_tables_data {
    xhi_krylov_ctx ctx;
    xhi_operator op;
    xhi_pc pc;
    xhi_generic_krylov *K;
    xhi_vector *b, *x;
    const char *kernels; /* reported in the result */
} xhi_tables_data;

static void xhi_tables_destroy(xh_solver *S)
{
    xhi_tables_data *d = S->mode_data;
    if (!d) return;
    xhi_operator_local_destroy(&d->op);
    xhi_generic_destroy(&d->K);
    xhi_vector_destroy(&d->b);
    xhi_vector_destroy(&d->x);
    xhi_free(d);
    S->mode_data = NULL;
}

static xh_status xhi_tables_setup(xh_solver *S, const xhi_vec_kind *kind, int compensated,
                                  const char *kernels)
{
    xh_status st = XH_OK;
    xhi_tables_data *d = NULL;
    XH_CALL(XHI_CALLOC(&d, 1, "Krylov table solver data"));
    S->mode_data = d;
    d->kernels = kernels;
    d->ctx = (xhi_krylov_ctx){.comm = S->comm, .A = S->A, .n = S->A->csr.nrows,
                              .reproducible = S->opt.reproducible};
    XH_CALL(xhi_operator_local_create(&d->ctx, compensated, S->opt.matvec, xhi_block_size(S),
                                      &d->op));
    xhi_pc_fp64(S->pc, &d->pc);
    XH_CALL(xhi_generic_create(S->opt.solver, &S->opt, &d->K));
    XH_CALL(xhi_vector_create(&d->ctx, kind, &d->b));
    XH_CALL(xhi_vector_create(&d->ctx, kind, &d->x));
cleanup:
    return st;
}

static xh_status xhi_eft_mode_setup(xh_solver *S)
{
    if (S->opt.reproducible)
        return xhi_tables_setup(S, &xhi_vec_fp64_repro, S->opt.eft_residual, "xhypre-repro");
    return xhi_tables_setup(S, &xhi_vec_fp64_eft, S->opt.eft_residual, "xhypre-dot2");
}

static xh_status xhi_fp64_tables_setup(xh_solver *S)
{
    return xhi_tables_setup(S, &xhi_vec_fp64_fast, 0, "xhypre");
}

static xh_status xhi_tables_solve(xh_solver *S, const double *b, double *x, xhi_solve_result *res)
{
    xh_status st = XH_OK;
    xhi_tables_data *d = S->mode_data;
    size_t bytes = (size_t)d->ctx.n * sizeof(double);
    if (bytes) {
        memcpy(d->b->data, b, bytes);
        memcpy(d->x->data, x, bytes);
    }
    XH_CALL(xhi_generic_solve(d->K, &d->op, &d->pc, d->b, d->x, res));
    if (d->b->kind != &xhi_vec_fp64_fast) {
        /* eft converges on Dot2 norms: judge it by the error-free residual too */
        double rnorm = 0, bnorm = sqrt(d->b->kind->dot(d->b, d->b));
        XH_CALL(xhi_operator_local_residual(&d->op, d->b, d->x, &rnorm, NULL));
        res->true_relres = bnorm > 0 ? rnorm / bnorm : 0;
    }
    snprintf(res->kernels, sizeof res->kernels, "%s", d->kernels);
    xhi_matvec_describe(d->op.block_size, res->matvec, sizeof res->matvec);
    if (bytes) memcpy(x, d->x->data, bytes);
cleanup:
    return st;
}

const xhi_mode_ops xhi_mode_eft = {
    "eft",
    "HYPRE's Krylov method with Dot2 inner products and compensated MPI reductions "
    "(-eft_residual: compensated matvec and residual too)",
    NULL, xhi_eft_mode_setup, xhi_tables_solve, xhi_tables_destroy};

/* The fp64 mode's -kernels xhypre (solvers/mode_fp64.c). */
const xhi_mode_ops xhi_mode_fp64_tables = {
    "fp64", "HYPRE's Krylov method over xhypre's FP64 vector kernels and CSR product", NULL,
    xhi_fp64_tables_setup, xhi_tables_solve, xhi_tables_destroy};
