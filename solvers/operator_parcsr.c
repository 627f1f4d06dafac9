/* solvers/operator_parcsr.c — the FP64 operator of the generic Krylov methods: HYPRE's ParCSR
 * matvec on the matrix of record, applied to FP64 xhypre vectors. */
#include "private/xhi_krylov.h"

static xh_status xhi_parcsr_apply(const xhi_operator *op, double alpha, const xhi_vector *x,
                                  double beta, xhi_vector *y)
{
    xh_status st = XH_OK;
    XH_CALL_HYPRE(HYPRE_ParCSRMatrixMatvec(alpha, op->ctx->A->par, x->par.par, beta, y->par.par));
cleanup:
    return st;
}

xh_status xhi_operator_parcsr(xhi_krylov_ctx *ctx, xhi_operator *op)
{
    op->ctx = ctx;
    op->apply = xhi_parcsr_apply;
    op->data = NULL;
    return XH_OK;
}
