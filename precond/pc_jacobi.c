/* precond/pc_jacobi.c — Jacobi (diagonal scaling), xhypre's own entry with a real FP32 apply.
 *
 * FP64: x_i = b_i / a_ii with a_ii the first entry of row i of the ParCSR diagonal block, where
 * HYPRE keeps the diagonal: exactly what HYPRE's DiagScale computes, so the fp64 mode gives
 * HYPRE's bits.  DiagScale reads a_ii out of the matrix's value array on every application (a
 * cache line per row); the copy here reads 8 bytes per row.  A zero or missing diagonal is refused
 * before the setup (xhi_check_diagonal), so a_ii exists, is nonzero and is first.  FP32: x_i = fl32(1/a_ii) b_i from a float copy of the inverses (a
 * zero or non-finite inverse becomes 1, leaving that unknown unscaled).
 */
#include <math.h>

#include <_hypre_parcsr_mv.h>

#include "private/xhi_precond.h"

typedef struct xhi_jacobi_ctx {
    HYPRE_Int n;
    double *diag;
    float *dinv32;
} xhi_jacobi_ctx;

static xh_status xhi_jacobi_create(MPI_Comm comm, const xh_options *opt, void **ctx)
{
    (void)comm;
    (void)opt;
    return XHI_CALLOC((xhi_jacobi_ctx **)ctx, 1, "Jacobi preconditioner");
}

static xh_status xhi_jacobi_setup(void *ctx, const xh_matrix *A)
{
    xh_status st = XH_OK;
    xhi_jacobi_ctx *c = ctx;
    hypre_CSRMatrix *d = hypre_ParCSRMatrixDiag((hypre_ParCSRMatrix *)A->par);
    const HYPRE_Int *rowptr = hypre_CSRMatrixI(d);
    const HYPRE_Real *val = hypre_CSRMatrixData(d);
    c->n = hypre_CSRMatrixNumRows(d);
    xhi_free(c->diag);
    xhi_free(c->dinv32);
    c->diag = NULL;
    c->dinv32 = NULL;
    XH_CALL(XHI_ALLOC(&c->diag, c->n > 0 ? c->n : 1, "Jacobi diagonal"));
    XH_CALL(XHI_ALLOC(&c->dinv32, c->n > 0 ? c->n : 1, "FP32 Jacobi"));
    for (HYPRE_Int i = 0; i < c->n; i++) {
        c->diag[i] = val[rowptr[i]];
        float inv = (float)(1.0 / c->diag[i]);
        c->dinv32[i] = isfinite(inv) && inv != 0 ? inv : 1.0f;
    }
cleanup:
    return st;
}

static xh_status xhi_jacobi_apply64(void *ctx, const double *b, double *x)
{
    const xhi_jacobi_ctx *c = ctx;
    for (HYPRE_Int i = 0; i < c->n; i++) x[i] = b[i] / c->diag[i];
    return XH_OK;
}

static xh_status xhi_jacobi_apply32(void *ctx, const float *b, float *x)
{
    const xhi_jacobi_ctx *c = ctx;
    for (HYPRE_Int i = 0; i < c->n; i++) x[i] = c->dinv32[i] * b[i];
    return XH_OK;
}

static void xhi_jacobi_report(const void *ctx, xh_precond_info *info)
{
    const xhi_jacobi_ctx *c = ctx;
    info->bytes = (long long)c->n * (long long)(sizeof(double) + sizeof(float));
}

static void xhi_jacobi_destroy(void *ctx)
{
    xhi_jacobi_ctx *c = ctx;
    if (!c) return;
    xhi_free(c->diag);
    xhi_free(c->dinv32);
    xhi_free(c);
}

static xh_status xhi_jacobi_view(const void *ctx, const xh_options *opt,
                                 const xh_precond_info *info, FILE *out)
{
    (void)ctx;
    (void)opt;
    xhi_view_printf(out, "  x_i = b_i / a_ii (a_ii as HYPRE's DiagScale reads it); FP32 apply: "
                         "x_i = fl32(1/a_ii) b_i\n");
    if (info) xhi_view_printf(out, "  built: %lld bytes (FP64 diagonal, FP32 inverses)\n",
                              info->bytes);
    return XH_OK;
}

const xhi_precond_type xhi_precond_jacobi = {
    "jacobi",           "diagonal scaling",  xhi_jacobi_create,  xhi_jacobi_setup,
    xhi_jacobi_apply64, xhi_jacobi_apply32,  xhi_jacobi_report,  xhi_jacobi_destroy,
    NULL,               xhi_jacobi_view,     NULL,
    .needs_diagonal = 1};
