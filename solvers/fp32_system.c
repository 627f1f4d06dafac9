/* solvers/fp32_system.c — the FP32 inner system of the refinement modes.
 *
 * The matrix of record is converted to FP32 once, in local numbering with HYPRE's halo pattern.
 * When its values do not fit FP32 comfortably (max |a| or min nonzero |a| within 2^20 of FP32's
 * range ends) it is equilibrated first with powers of two, so the scaling itself is exact:
 * rows by their largest entry (D_r A), or for PCG symmetrically by the square roots of the row
 * maxima (D A D), which keeps the system symmetric.  Every scaled entry then has magnitude <= 1
 * (row scaling) or <= 1 for symmetric A, so nothing overflows; an entry that underflows is below
 * 2^-126 of its row's largest and far under FP32's rounding of that row.
 * The inner system is (D_r A D_c) y = D_r r / s with s = ||D_r r||_inf, and d = s D_c y.
 * Where -matvec chooses it, the product is the block form (matrices/local_bsr.c) of the same
 * scaled FP32 values instead of the CSR shadow.
 * The preconditioner is the registry's (xhi_precond.h) on the matrix of record: its FP32 apply,
 * or for the equilibrated system M_s^-1 = D_c^-1 M^-1 D_r^-1 through its FP64 apply.
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "private/xhi_fp32.h"
#include "private/xhi_krylov.h"
#include "private/xhi_local.h"
#include "private/xhi_local_bsr.h"
#include "private/xhi_mvec.h"

/* Equilibrate when the values come within this factor of FP32's largest or smallest normal. */
#define XHI_FP32_MARGIN 0x1p20

struct xhi_fp32_system {
    xhi_krylov_ctx *ctx;
    xhi_local_csr L;
    double *row_scale, *col_scale; /* NULL when not equilibrated; col_scale: ncols entries */
    xhi_csr32 A32;                 /* the CSR product; empty when the block form is used */
    xhi_local_bsr bsr;
    float *x_ext;                  /* operand with its halo */
    xhi_fp32_range range;
    char trouble[96];
    xhi_operator op;
    xhi_pc pc;
    xhi_precond *P;
};

/* ---- FP32 vectors -------------------------------------------------------------------------- */

/* FP32 data, double scalars; a failed kernel (bad argument: a bug) is recorded in the context. */
static double xhi_fp32_vec_dot(const xhi_vector *x, const xhi_vector *y)
{
    double local = 0, global = 0;
    xhi_krylov_note(x->ctx, xhi_fp32_dot((size_t)x->ctx->n, x->data, y->data, &local));
    MPI_Allreduce(&local, &global, 1, MPI_DOUBLE, MPI_SUM, x->ctx->comm);
    return global;
}

static void xhi_fp32_vec_axpy(double alpha, const xhi_vector *x, xhi_vector *y)
{
    xhi_krylov_note(x->ctx, xhi_fp32_axpy((size_t)x->ctx->n, alpha, x->data, y->data));
}

static void xhi_fp32_vec_scale(double alpha, xhi_vector *x)
{
    xhi_krylov_note(x->ctx, xhi_fp32_scale((size_t)x->ctx->n, alpha, x->data));
}

static void xhi_fp32_vec_axpby(double alpha, const xhi_vector *x, double beta, xhi_vector *y)
{
    xhi_krylov_note(y->ctx, xhi_fp32_axpby((size_t)y->ctx->n, alpha, x->data, beta, y->data));
}

/* Mass operations: FP32 basis, products accumulated in double, the update rounded once. */
static xh_status xhi_fp32_mdot_local(size_t n, int nw, const void *const *w, int k,
                                     const void *const *p, double *out)
{
    return xhi_mvec_dot32(n, nw, (const float *const *)w, k, (const float *const *)p, out);
}

static void xhi_fp32_vec_mdot(const xhi_vector *x, const xhi_vector *y, xhi_vector *const *p,
                              int k, double *rx, double *ry, double *self)
{
    xhi_mass_dot(x, y, p, k, rx, ry, self, xhi_fp32_mdot_local, 0);
}

static xh_status xhi_fp32_update(size_t n, int k, const double *alpha, const void *const *p,
                                 void *y)
{
    return xhi_mvec_axpy32(n, k, alpha, (const float *const *)p, y);
}

static void xhi_fp32_vec_maxpy(const double *alpha, xhi_vector *const *p, int k, xhi_vector *y)
{
    xhi_mass_axpy(alpha, p, k, y, xhi_fp32_update);
}

const xhi_vec_kind xhi_vec_fp32 = {"fp32",            sizeof(float),      xhi_fp32_vec_dot,
                                   xhi_fp32_vec_axpy, xhi_fp32_vec_scale, xhi_fp32_vec_axpby,
                                   xhi_fp32_vec_mdot, xhi_fp32_vec_maxpy};

/* ---- operator and preconditioners ---------------------------------------------------------- */

static xh_status xhi_fp32_apply(const xhi_operator *op, double alpha, const xhi_vector *x,
                                double beta, xhi_vector *y)
{
    xh_status st = XH_OK;
    xhi_fp32_system *sys = op->data;
    HYPRE_Int n = sys->L.nrows;
    if (n > 0) memcpy(sys->x_ext, x->data, (size_t)n * sizeof(float));
    XH_CALL(xhi_halo_exchange(&sys->L.halo, sys->x_ext, n, sizeof(float)));
    if (op->block_size > 0)
        XH_CALL(xhi_local_bsr_spmv32(&sys->bsr, alpha, sys->x_ext, beta, y->data));
    else
        XH_CALL(xhi_csr32_spmv(&sys->A32, alpha, sys->x_ext, beta, y->data));
cleanup:
    return st;
}

static xh_status xhi_precond32_apply(const xhi_pc *pc, const xhi_vector *b, xhi_vector *x)
{
    const xhi_fp32_system *sys = pc->data;
    return xhi_precond_apply32(sys->P, sys->row_scale, sys->col_scale, b->data, x->data);
}

/* ---- construction -------------------------------------------------------------------------- */

static int xhi_needs_equilibration(const xhi_local_csr *L, MPI_Comm comm)
{
    double ext[2] = {0, 0}; /* max |a|, max 1/|a| over nonzeros */
    HYPRE_Int nnz = L->nrows ? L->rowptr[L->nrows] : 0;
    for (HYPRE_Int k = 0; k < nnz; k++) {
        double a = fabs(L->val[k]);
        if (a == 0) continue;
        ext[0] = fmax(ext[0], a);
        ext[1] = fmax(ext[1], 1.0 / a);
    }
    MPI_Allreduce(MPI_IN_PLACE, ext, 2, MPI_DOUBLE, MPI_MAX, comm);
    return ext[0] > FLT_MAX / XHI_FP32_MARGIN || ext[1] > 1.0 / (FLT_MIN * XHI_FP32_MARGIN);
}

/* Power-of-two scales: rows by their largest entry, or symmetrically by its square root. */
static xh_status xhi_equilibration_scales(xhi_fp32_system *sys, int symmetric)
{
    xh_status st = XH_OK;
    const xhi_local_csr *L = &sys->L;
    XH_CALL(XHI_ALLOC(&sys->row_scale, L->nrows, "row scales"));
    for (HYPRE_Int i = 0; i < L->nrows; i++) {
        double m = 0;
        for (HYPRE_Int k = L->rowptr[i]; k < L->rowptr[i + 1]; k++) m = fmax(m, fabs(L->val[k]));
        int e = 0;
        if (m > 0) frexp(m, &e);
        sys->row_scale[i] = ldexp(1.0, symmetric ? -(e / 2) : -e);
    }
    if (!symmetric) goto cleanup;
    XH_CALL(XHI_ALLOC(&sys->col_scale, L->ncols, "column scales"));
    if (L->nrows > 0) memcpy(sys->col_scale, sys->row_scale, (size_t)L->nrows * sizeof(double));
    XH_CALL(xhi_halo_exchange(&sys->L.halo, sys->col_scale, L->nrows, sizeof(double)));
cleanup:
    return st;
}

xh_status xhi_fp32_system_create(xhi_krylov_ctx *ctx32, const xh_options *opt, xhi_precond *P,
                                 int block_size, xhi_fp32_system **out)
{
    xh_status st = XH_OK;
    xhi_fp32_system *sys = NULL;
    XH_CALL(XHI_CALLOC(&sys, 1, "FP32 system"));
    sys->ctx = ctx32;
    XH_CALL(xhi_local_csr_create(ctx32->A, &sys->L));
    if (xhi_needs_equilibration(&sys->L, ctx32->comm))
        XH_CALL(xhi_equilibration_scales(sys, strcmp(opt->solver, "pcg") == 0));
    sys->op = (xhi_operator){.ctx = ctx32, .apply = xhi_fp32_apply, .data = sys};
    XH_CALL(xhi_local_bsr_choose(&sys->L, ctx32->A->csr.row_start, opt->matvec, block_size,
                                 sys->row_scale, sys->col_scale, XHI_STORE_FP32, ctx32->comm,
                                 &sys->op.block_size, &sys->bsr));
    XH_CALL(xhi_csr32_create(&sys->L, sys->row_scale, sys->col_scale,
                             sys->op.block_size > 0 ? NULL : &sys->A32, &sys->range));
    long long lost[2] = {sys->range.overflow, sys->range.nonfinite};
    XH_CALL_MPI(MPI_Allreduce(MPI_IN_PLACE, lost, 2, MPI_LONG_LONG, MPI_SUM, ctx32->comm));
    if (lost[0] + lost[1] > 0)
        snprintf(sys->trouble, sizeof sys->trouble,
                 "%lld matrix entries overflow FP32 even after equilibration", lost[0] + lost[1]);
    XH_CALL(XHI_ALLOC(&sys->x_ext, sys->L.ncols, "FP32 operand"));

    sys->P = P;
    sys->pc = (xhi_pc){.apply = xhi_precond_is_identity(P) ? NULL : xhi_precond32_apply,
                       .data = sys};
cleanup:
    if (st < 0) xhi_fp32_system_destroy(&sys);
    *out = sys;
    return st;
}

void xhi_fp32_system_destroy(xhi_fp32_system **sys)
{
    if (!sys || !*sys) return;
    xhi_fp32_system *s = *sys;
    xhi_local_csr_destroy(&s->L);
    xhi_csr32_destroy(&s->A32);
    xhi_local_bsr_destroy(&s->bsr);
    xhi_free(s->row_scale);
    xhi_free(s->col_scale);
    xhi_free(s->x_ext);
    xhi_free(s);
    *sys = NULL;
}

const char *xhi_fp32_system_trouble(const xhi_fp32_system *sys)
{
    return sys->trouble[0] ? sys->trouble : NULL;
}

xhi_operator *xhi_fp32_system_operator(xhi_fp32_system *sys) { return &sys->op; }
xhi_pc *xhi_fp32_system_pc(xhi_fp32_system *sys) { return &sys->pc; }

xh_status xhi_fp32_system_rhs(xhi_fp32_system *sys, const xhi_vector *r64, xhi_vector *r32,
                              double *s)
{
    xh_status st = XH_OK;
    const double *r = r64->data;
    float *out = r32->data;
    HYPRE_Int n = sys->L.nrows;
    double m = 0;
    for (HYPRE_Int i = 0; i < n; i++)
        m = fmax(m, fabs(sys->row_scale ? sys->row_scale[i] * r[i] : r[i]));
    XH_CALL_MPI(MPI_Allreduce(MPI_IN_PLACE, &m, 1, MPI_DOUBLE, MPI_MAX, sys->ctx->comm));
    *s = m > 0 ? m : 1.0;
    for (HYPRE_Int i = 0; i < n; i++)
        out[i] = (float)((sys->row_scale ? sys->row_scale[i] * r[i] : r[i]) / *s);
cleanup:
    return st;
}

xh_status xhi_fp32_system_correction(xhi_fp32_system *sys, const xhi_vector *y32, double s,
                                     xhi_vector *d64)
{
    const float *y = y32->data;
    double *d = d64->data;
    for (HYPRE_Int i = 0; i < sys->L.nrows; i++)
        d[i] = s * (sys->col_scale ? sys->col_scale[i] : 1.0) * (double)y[i];
    return XH_OK;
}
