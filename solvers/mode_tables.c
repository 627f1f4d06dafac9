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
    /* solve-time options: changing them does not set the mode up again */
    XH_CALL(xhi_generic_set_solve_options(d->K, &S->opt));
    XH_CALL(xhi_generic_solve(d->K, &d->op, &d->pc, d->b, d->x, res));
    if (d->b->kind != &xhi_vec_fp64_fast) {
        /* eft converges on Dot2 norms: judge it by the error-free residual too */
        double rnorm = 0, bnorm = sqrt(d->b->kind->dot(d->b, d->b));
        XHI_LOG_CALL(XHI_EV_MATMULT, xhi_operator_local_residual(&d->op, d->b, d->x, &rnorm, NULL));
        res->true_relres = bnorm > 0 ? rnorm / bnorm : 0;
    }
    snprintf(res->kernels, sizeof res->kernels, "%s", d->kernels);
    xhi_matvec_describe(d->op.block_size, res->matvec, sizeof res->matvec);
    if (bytes) memcpy(x, d->x->data, bytes);
cleanup:
    return st;
}

/* ---- -view ---------------------------------------------------------------------------------- */

static xh_status xhi_tables_view_solver(const xh_solver *S, FILE *out)
{
    const xhi_tables_data *d = S->mode_data;
    xhi_view_printf(out, "  driver: HYPRE's function table (krylov.h) over xhypre's FP64 vectors, "
                         "operator and preconditioner\n");
    return xhi_generic_view(d ? d->K : NULL, S->opt.solver, &S->opt, 1, 1, out);
}

/* The vector kernels and the form of A that setup chose, or before it what the options ask. */
static void xhi_tables_view_built(const xh_solver *S, FILE *out)
{
    const xhi_tables_data *d = S->mode_data;
    char form[XH_NAME_MAX];
    if (!d) {
        xhi_view_printf(out, "  matvec: -matvec %s, -block_size %d (the form is chosen at setup)\n",
                        S->opt.matvec, S->opt.block_size);
        return;
    }
    xhi_matvec_describe(d->op.block_size, form, sizeof form);
    xhi_view_printf(out, "  kernels: %s (vectors %s), matvec: %s (-matvec %s)\n", d->kernels,
                    d->b->kind->name, form, S->opt.matvec);
}

static xh_status xhi_eft_view(const xh_solver *S, FILE *out)
{
    const xh_options *o = &S->opt;
    xhi_view_printf(out, "  inner products and norms: %s (-reproducible %s)\n",
                    o->reproducible ? "binned reproducible sums, the same bits on any number of "
                                      "ranks and threads"
                                    : "Dot2, merged over the ranks by the compensated (TwoSum) "
                                      "MPI reduction",
                    o->reproducible ? "on" : "off");
    xhi_view_printf(out, "  matvec and residual b - A x: %s (-eft_residual %s)\n",
                    o->eft_residual ? "every row accumulated error-free, rounded once"
                                    : "xhypre's FP64 product",
                    o->eft_residual ? "on" : "off");
    xhi_tables_view_built(S, out);
    xhi_view_printf(out, "  outcome judged by the error-free ||b - A x|| / ||b|| after the solve\n");
    return XH_OK;
}

static xh_status xhi_fp64_tables_view(const xh_solver *S, FILE *out)
{
    xhi_view_printf(out, "  vector operations: xhypre's FP64 multi-vector kernels (SIMD, OpenMP)\n");
    xhi_tables_view_built(S, out);
    return XH_OK;
}

const xhi_mode_ops xhi_mode_eft = {
    "eft",
    "HYPRE's Krylov method with Dot2 inner products and compensated MPI reductions "
    "(-eft_residual: compensated matvec and residual too)",
    NULL, xhi_eft_mode_setup, xhi_tables_solve, xhi_tables_destroy, xhi_tables_view_solver,
    xhi_eft_view};

/* The fp64 mode's -kernels xhypre (solvers/mode_fp64.c). */
const xhi_mode_ops xhi_mode_fp64_tables = {
    "fp64", "HYPRE's Krylov method over xhypre's FP64 vector kernels and CSR product", NULL,
    xhi_fp64_tables_setup, xhi_tables_solve, xhi_tables_destroy, xhi_tables_view_solver,
    xhi_fp64_tables_view};
