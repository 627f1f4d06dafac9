/* solvers/vector.c — xhypre's vectors for the generic Krylov methods, and the plain FP64 kind.
 *
 * An FP64 vector owns a HYPRE ParVector (so HYPRE's preconditioners can be applied to it without
 * a copy) and works on its data array; an FP32 vector owns a float array.  The plain FP64 kind
 * computes exactly what HYPRE's own ParVector operations compute (same loops, MPI_SUM), which is
 * what lets the function-table path reproduce stock HYPRE's iterations bit for bit.
 */
#include <string.h>

#include "private/xhi_eft.h"
#include "private/xhi_krylov.h"

xh_status xhi_vector_create(xhi_krylov_ctx *ctx, const xhi_vec_kind *kind, xhi_vector **v)
{
    xh_status st = XH_OK;
    xhi_vector *out = NULL;
    *v = NULL;
    XH_CALL(XHI_CALLOC(&out, 1, "vector"));
    out->kind = kind;
    out->ctx = ctx;
    if (kind->elem_size == sizeof(double)) {
        XH_CALL(xhi_parvector_create(ctx->A, &out->par));
        out->data = out->par.data;
    } else {
        XH_CALL(xhi_alloc_array(&out->data, (size_t)ctx->n, kind->elem_size, 1, "FP32 vector"));
    }
    *v = out;
cleanup:
    if (st < 0) xhi_vector_destroy(&out);
    return st;
}

void xhi_vector_destroy(xhi_vector **v)
{
    if (!v || !*v) return;
    if ((*v)->par.ij) xhi_parvector_destroy(&(*v)->par);
    else xhi_free((*v)->data);
    xhi_free(*v);
    *v = NULL;
}

static double xhi_fp64_dot(const xhi_vector *x, const xhi_vector *y)
{
    const double *a = x->data, *b = y->data;
    double local = 0, global = 0;
    for (HYPRE_Int i = 0; i < x->ctx->n; i++) local += b[i] * a[i];
    MPI_Allreduce(&local, &global, 1, MPI_DOUBLE, MPI_SUM, x->ctx->comm);
    return global;
}

static void xhi_fp64_axpy(double alpha, const xhi_vector *x, xhi_vector *y)
{
    const double *a = x->data;
    double *b = y->data;
    for (HYPRE_Int i = 0; i < x->ctx->n; i++) b[i] += alpha * a[i];
}

static void xhi_fp64_scale(double alpha, xhi_vector *x)
{
    double *a = x->data;
    for (HYPRE_Int i = 0; i < x->ctx->n; i++) a[i] *= alpha;
}

const xhi_vec_kind xhi_vec_fp64 = {"fp64", sizeof(double), xhi_fp64_dot, xhi_fp64_axpy,
                                   xhi_fp64_scale};

/* The eft kind: inner products (and so norms) by Dot2 with the compensated MPI reduction;
 * axpy and scaling are exact enough as they are (one rounding per element). */
static double xhi_fp64_eft_dot(const xhi_vector *x, const xhi_vector *y)
{
    double result = 0;
    if (xhi_eft_dot2_global(x->ctx->comm, (size_t)x->ctx->n, x->data, y->data, &result) < 0)
        x->ctx->failure = x->ctx->failure ? x->ctx->failure : XH_ERR_INTERNAL;
    return result;
}

const xhi_vec_kind xhi_vec_fp64_eft = {"fp64-eft", sizeof(double), xhi_fp64_eft_dot,
                                       xhi_fp64_axpy, xhi_fp64_scale};
