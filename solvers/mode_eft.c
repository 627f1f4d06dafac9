/* solvers/mode_eft.c — the eft solve mode: HYPRE's own Krylov method (GMRES, FlexGMRES, PCG,
 * BiCGSTAB) through its function table, with every inner product and norm computed by Dot2 and
 * merged over the ranks with the compensated (TwoSum) MPI reduction; with -eft_residual also
 * every matvec, the residual b - A x included, accumulated error-free row by row.  HYPRE's
 * preconditioners are applied unchanged.  The algorithm, its stopping test and its iteration
 * are HYPRE's: only the rounding changes. */
#include <string.h>

#include "private/xhi_krylov.h"

typedef struct xhi_eft_data {
    xhi_krylov_ctx ctx;
    xhi_operator op;
    int compensated_matvec;
    xhi_hypre_pc hpc;
    xhi_pc pc;
    xhi_generic_krylov *K;
    xhi_vector *b, *x;
} xhi_eft_data;

static void xhi_eft_mode_destroy(xh_solver *S)
{
    xhi_eft_data *d = S->mode_data;
    if (!d) return;
    if (d->compensated_matvec) xhi_operator_eft_destroy(&d->op);
    xhi_hypre_pc_destroy(&d->hpc);
    xhi_generic_destroy(&d->K);
    xhi_vector_destroy(&d->b);
    xhi_vector_destroy(&d->x);
    xhi_free(d);
    S->mode_data = NULL;
}

static xh_status xhi_eft_mode_setup(xh_solver *S)
{
    xh_status st = XH_OK;
    xhi_eft_data *d = NULL;
    XH_CALL(XHI_CALLOC(&d, 1, "eft solver data"));
    S->mode_data = d;
    d->ctx = (xhi_krylov_ctx){.comm = S->comm, .A = S->A, .n = S->A->csr.nrows};
    d->compensated_matvec = S->opt.eft_residual;
    if (d->compensated_matvec) XH_CALL(xhi_operator_eft_create(&d->ctx, &d->op));
    else XH_CALL(xhi_operator_parcsr(&d->ctx, &d->op));
    XH_CALL(xhi_hypre_pc_create(S->comm, &S->opt, S->A, &d->hpc));
    XH_CALL(xhi_hypre_pc_setup(&d->hpc, &d->pc));
    XH_CALL(xhi_generic_create(S->opt.solver, &S->opt, &d->K));
    XH_CALL(xhi_vector_create(&d->ctx, &xhi_vec_fp64_eft, &d->b));
    XH_CALL(xhi_vector_create(&d->ctx, &xhi_vec_fp64_eft, &d->x));
cleanup:
    return st;
}

static xh_status xhi_eft_mode_solve(xh_solver *S, const double *b, double *x,
                                    xhi_solve_result *res)
{
    xh_status st = XH_OK;
    xhi_eft_data *d = S->mode_data;
    size_t bytes = (size_t)d->ctx.n * sizeof(double);
    if (bytes) {
        memcpy(d->b->data, b, bytes);
        memcpy(d->x->data, x, bytes);
    }
    XH_CALL(xhi_generic_solve(d->K, &d->op, &d->pc, d->b, d->x, res));
    if (bytes) memcpy(x, d->x->data, bytes);
cleanup:
    return st;
}

const xhi_mode_ops xhi_mode_eft = {
    "eft",
    "HYPRE's Krylov method with Dot2 inner products and compensated MPI reductions "
    "(-eft_residual: compensated matvec and residual too)",
    xhi_eft_mode_setup, xhi_eft_mode_solve, xhi_eft_mode_destroy};
