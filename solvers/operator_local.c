/* solvers/operator_local.c — the FP64 operators of the generic Krylov methods on the rank's rows
 * in local numbering with HYPRE's halo pattern (matrices/local_csr.c): y = alpha A x + beta y
 *   plain:        xhypre's FP64 CSR product (kernels/fp32_*.c: SIMD, OpenMP, each product
 *                 rounded, fixed lane order), or the BSR one where -matvec chooses it
 *                 (matrices/local_bsr.c), the operator of -kernels xhypre and of eft;
 *   compensated:  every row of A x (and, for the residual b - A x, every row of b minus it)
 *                 accumulated error-free and rounded once (eft/ CSR kernels): -eft_residual.
 * With -reproducible the rows are in global column order and the product stays CSR, so that each
 * row's sum is the same on any partition (both kernels sum a row in term order, whatever the
 * variant and the threads).
 */
#include <math.h>
#include <string.h>

#include "private/xhi_eft.h"
#include "private/xhi_fp32.h"
#include "private/xhi_krylov.h"
#include "private/xhi_local.h"
#include "private/xhi_local_bsr.h"
#include "private/xhi_repro.h"

typedef struct xhi_local_operator {
    xhi_local_csr L;
    double *x_ext; /* own entries, then the halo */
    double *ax;    /* compensated A x for the general alpha, beta case; the residual */
    xhi_local_bsr bsr; /* the plain product's block form when -matvec chose it */
} xhi_local_operator;

/* x_ext = x with its halo from the neighbours. */
static xh_status xhi_local_gather(xhi_local_operator *E, const xhi_vector *x)
{
    if (E->L.nrows > 0) memcpy(E->x_ext, x->data, (size_t)E->L.nrows * sizeof(double));
    return xhi_halo_exchange(&E->L.halo, E->x_ext, E->L.nrows, sizeof(double));
}

static xh_status xhi_plain_apply(const xhi_operator *op, double alpha, const xhi_vector *x,
                                 double beta, xhi_vector *y)
{
    xh_status st = XH_OK;
    xhi_local_operator *E = op->data;
    XH_CALL(xhi_local_gather(E, x));
    if (op->block_size > 0)
        XH_CALL(xhi_local_bsr_spmv64(&E->bsr, alpha, E->x_ext, beta, y->data));
    else
        XH_CALL(xhi_csr64_spmv(&E->L, alpha, E->x_ext, beta, y->data));
cleanup:
    return st;
}

static xh_status xhi_eft_apply(const xhi_operator *op, double alpha, const xhi_vector *x,
                               double beta, xhi_vector *y)
{
    xh_status st = XH_OK;
    xhi_local_operator *E = op->data;
    HYPRE_Int n = E->L.nrows;
    double *yd = y->data;
    XH_CALL(xhi_local_gather(E, x));
    if (alpha == -1.0 && beta == 1.0) {
        /* The residual update b - A x: the case where compensation matters most. */
        XH_CALL(xhi_eft_csr_residual(n, E->L.rowptr, E->L.col, E->L.val, E->x_ext, yd, yd));
    } else if (beta == 0.0 && alpha == 1.0) {
        XH_CALL(xhi_eft_csr_matvec(n, E->L.rowptr, E->L.col, E->L.val, E->x_ext, yd));
    } else {
        XH_CALL(xhi_eft_csr_matvec(n, E->L.rowptr, E->L.col, E->L.val, E->x_ext, E->ax));
        for (HYPRE_Int i = 0; i < n; i++)
            yd[i] = beta == 0.0 ? alpha * E->ax[i] : alpha * E->ax[i] + beta * yd[i];
    }
cleanup:
    return st;
}

xh_status xhi_operator_local_create(xhi_krylov_ctx *ctx, int compensated, const char *matvec,
                                    int block_size, xhi_operator *op)
{
    xh_status st = XH_OK;
    xhi_local_operator *E = NULL;
    XH_CALL(XHI_CALLOC(&E, 1, "local operator"));
    XH_CALL(xhi_local_csr_create(ctx->A, &E->L));
    if (ctx->reproducible) XH_CALL(xhi_local_csr_order_global(ctx->A, &E->L));
    XH_CALL(XHI_ALLOC(&E->x_ext, E->L.ncols, "operator halo vector"));
    XH_CALL(XHI_ALLOC(&E->ax, E->L.nrows, "operator product"));
    op->block_size = 0;
    /* the block form sums the own and the halo columns apart: not reproducible */
    if (!compensated && !ctx->reproducible)
        XH_CALL(xhi_local_bsr_choose(&E->L, ctx->A->csr.row_start, matvec, block_size,
                                     NULL, NULL, XHI_STORE_FP64, ctx->comm, &op->block_size,
                                     &E->bsr));
    op->ctx = ctx;
    op->apply = compensated ? xhi_eft_apply : xhi_plain_apply;
    op->data = E;
    E = NULL;
cleanup:
    if (E) {
        op->data = E;
        xhi_operator_local_destroy(op);
    }
    return st;
}

xh_status xhi_operator_local_residual(const xhi_operator *op, const xhi_vector *b,
                                      const xhi_vector *x, double *rnorm, double *omega)
{
    xh_status st = XH_OK;
    xhi_local_operator *E = op->data;
    const xhi_local_csr *L = &E->L;
    const double *bd = b->data, *r = E->ax;
    double worst = 0;
    XH_CALL(xhi_local_gather(E, x));
    XH_CALL(xhi_eft_csr_residual(L->nrows, L->rowptr, L->col, L->val, E->x_ext, bd, E->ax));
    for (HYPRE_Int i = 0; i < L->nrows; i++) {
        double scale = fabs(bd[i]);
        for (HYPRE_Int k = L->rowptr[i]; k < L->rowptr[i + 1]; k++)
            scale += fabs(L->val[k]) * fabs(E->x_ext[L->col[k]]);
        if (r[i] != 0) worst = fmax(worst, scale > 0 ? fabs(r[i]) / scale : INFINITY);
    }
    if (rnorm && op->ctx->reproducible)
        XH_CALL(xhi_repro_norm2_global(op->ctx->comm, (size_t)L->nrows, r, rnorm));
    else if (rnorm)
        XH_CALL(xhi_eft_norm2_global(op->ctx->comm, (size_t)L->nrows, r, rnorm));
    XH_CALL_MPI(MPI_Allreduce(MPI_IN_PLACE, &worst, 1, MPI_DOUBLE, MPI_MAX, op->ctx->comm));
    if (omega) *omega = worst;
cleanup:
    return st;
}

void xhi_operator_local_destroy(xhi_operator *op)
{
    xhi_local_operator *E = op->data;
    if (!E) return;
    xhi_local_csr_destroy(&E->L);
    xhi_free(E->x_ext);
    xhi_free(E->ax);
    xhi_local_bsr_destroy(&E->bsr);
    xhi_free(E);
    op->data = NULL;
}
