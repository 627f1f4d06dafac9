/* precond/registry.c — the preconditioner registry and the xhi_precond object every solve mode
 * uses (xhi_precond.h): lookup by name, life cycle, the FP32 apply through the FP64 one, the
 * setup report over the ranks, and the callbacks through which HYPRE's stock Krylov methods call
 * xhypre's own preconditioners.  The identity ("none") is the one entry defined here: it is the
 * absence of an apply, which every caller handles alike.
 */
#include <math.h>
#include <string.h>

#include <_hypre_parcsr_mv.h>

#include "private/xhi_precond.h"

static xh_status xhi_none_create(MPI_Comm comm, const xh_options *opt, void **ctx)
{
    (void)comm;
    (void)opt;
    *ctx = NULL;
    return XH_OK;
}

static xh_status xhi_none_setup(void *ctx, const xh_matrix *A)
{
    (void)ctx;
    (void)A;
    return XH_OK;
}

static void xhi_none_destroy(void *ctx) { (void)ctx; }

static const xhi_precond_type xhi_precond_none = {
    "none", "no preconditioner", xhi_none_create, xhi_none_setup, NULL, NULL, NULL,
    xhi_none_destroy, NULL, NULL, NULL, 0};

extern const xhi_precond_type xhi_precond_jacobi, xhi_precond_bisai, xhi_precond_ilu0,
    xhi_precond_iluk, xhi_precond_euclid, xhi_precond_parasails, xhi_precond_fsai,
    xhi_precond_boomeramg;

static const xhi_precond_type *const xhi_precond_table[] = {
    &xhi_precond_none,   &xhi_precond_jacobi, &xhi_precond_bisai,     &xhi_precond_ilu0,
    &xhi_precond_iluk,   &xhi_precond_euclid, &xhi_precond_parasails, &xhi_precond_fsai,
    &xhi_precond_boomeramg};
#define XHI_NPRECOND (int)(sizeof xhi_precond_table / sizeof xhi_precond_table[0])

const xhi_precond_type *xhi_precond_find(const char *name)
{
    for (int i = 0; name && i < XHI_NPRECOND; i++)
        if (strcmp(xhi_precond_table[i]->name, name) == 0) return xhi_precond_table[i];
    return NULL;
}

const char *xhi_precond_name(int i)
{
    return i >= 0 && i < XHI_NPRECOND ? xhi_precond_table[i]->name : NULL;
}

xh_status xhi_precond_create(MPI_Comm comm, const xh_options *opt, xhi_precond **P)
{
    xh_status st = XH_OK;
    xhi_precond *p = NULL;
    XH_CHECK(P != NULL && opt != NULL, XH_ERR_ARG, "xhi_precond_create: NULL argument");
    *P = NULL;
    const xhi_precond_type *type = xhi_precond_find(opt->precond);
    XH_CHECK(type != NULL, XH_ERR_ARG, "unknown preconditioner '%s'", opt->precond);
    XH_CALL(XHI_CALLOC(&p, 1, "preconditioner"));
    p->type = type;
    p->comm = comm;
    XH_CALL(type->create(comm, opt, &p->ctx));
    *P = p;
    p = NULL;
cleanup:
    xhi_precond_destroy(&p);
    return st;
}

xh_status xhi_precond_setup(xhi_precond *P, const xh_matrix *A)
{
    xh_status st = XH_OK;
    XH_CHECK(P != NULL && A != NULL, XH_ERR_ARG, "xhi_precond_setup: NULL argument");
    P->A = A;
    P->n = A->csr.nrows;
    xhi_free(P->b64);
    xhi_free(P->x64);
    P->b64 = P->x64 = NULL;
    if (P->type->needs_diagonal) XH_CALL(xhi_check_diagonal(A, P->type->name));
    st = P->type->setup(P->ctx, A);
    st = xhi_error_agree(P->comm, st);
cleanup:
    return st;
}

int xhi_precond_can_refresh(const xhi_precond *P) { return P->type->refresh != NULL; }

xh_status xhi_precond_refresh(xhi_precond *P)
{
    xh_status st = XH_OK;
    XH_CHECK(P != NULL && P->A != NULL && P->type->refresh, XH_ERR_STATE,
             "xhi_precond_refresh: no setup to refresh");
    st = P->type->refresh(P->ctx, P->A);
    st = xhi_error_agree(P->comm, st);
cleanup:
    return st;
}

int xhi_precond_is_identity(const xhi_precond *P) { return P->type->apply64 == NULL; }

xh_status xhi_precond_apply64(xhi_precond *P, const double *b, double *x)
{
    if (!P->type->apply64) {
        if (P->n > 0) memcpy(x, b, (size_t)P->n * sizeof *x);
        return XH_OK;
    }
    return P->type->apply64(P->ctx, b, x);
}

xh_status xhi_precond_apply32(xhi_precond *P, const double *row_scale, const double *col_scale,
                              const float *b, float *x)
{
    xh_status st = XH_OK;
    HYPRE_Int n = P->n;
    if (P->type->apply32 && !row_scale && !col_scale) return P->type->apply32(P->ctx, b, x);
    if (!P->b64) XH_CALL(XHI_ALLOC(&P->b64, n > 0 ? n : 1, "FP32 preconditioner operand"));
    if (!P->x64) XH_CALL(XHI_ALLOC(&P->x64, n > 0 ? n : 1, "FP32 preconditioner result"));
    for (HYPRE_Int i = 0; i < n; i++)
        P->b64[i] = row_scale ? (double)b[i] / row_scale[i] : (double)b[i];
    XH_CALL(xhi_precond_apply64(P, P->b64, P->x64));
    for (HYPRE_Int i = 0; i < n; i++)
        x[i] = (float)(col_scale ? P->x64[i] / col_scale[i] : P->x64[i]);
cleanup:
    return st;
}

xh_status xhi_precond_info(const xhi_precond *P, xh_precond_info *info)
{
    xh_status st = XH_OK;
    XH_CHECK(P != NULL && info != NULL, XH_ERR_ARG, "xhi_precond_info: NULL argument");
    memset(info, 0, sizeof *info);
    if (P->type->report) P->type->report(P->ctx, info);
    snprintf(info->name, sizeof info->name, "%s", P->type->name);
    long long sums[11] = {info->nnz,          info->stored,        info->padded_rows,
                          info->nnzb,         info->excess_rows,   info->fallback_rows,
                          info->singular_pivots, info->blocks_fp64, info->blocks_fp32,
                          info->blocks_fp16,  info->bytes};
    long long fp32_bytes = info->bytes_fp32;
    int maxes[2] = {info->block_size, info->max_unknowns};
    XH_CALL_MPI(MPI_Allreduce(MPI_IN_PLACE, sums, 11, MPI_LONG_LONG, MPI_SUM, P->comm));
    XH_CALL_MPI(MPI_Allreduce(MPI_IN_PLACE, &fp32_bytes, 1, MPI_LONG_LONG, MPI_SUM, P->comm));
    XH_CALL_MPI(MPI_Allreduce(MPI_IN_PLACE, maxes, 2, MPI_INT, MPI_MAX, P->comm));
    info->nnz = sums[0];
    info->stored = sums[1];
    info->padded_rows = sums[2];
    info->nnzb = sums[3];
    info->excess_rows = sums[4];
    info->fallback_rows = sums[5];
    info->singular_pivots = sums[6];
    info->blocks_fp64 = sums[7];
    info->blocks_fp32 = sums[8];
    info->blocks_fp16 = sums[9];
    info->bytes = sums[10];
    info->bytes_fp32 = fp32_bytes;
    info->block_size = maxes[0];
    info->max_unknowns = maxes[1];
cleanup:
    return st;
}

/* ---- xhypre's preconditioners inside HYPRE's stock Krylov methods -------------------------- */

static double *xhi_local_data(HYPRE_ParVector v)
{
    return hypre_VectorData(hypre_ParVectorLocalVector((hypre_ParVector *)v));
}

/* HYPRE's Krylov methods ignore the preconditioner's return code: the first failure is kept in
 * P->failure, which the fp64 mode checks after the solve. */
static HYPRE_Int xhi_hypre_cb_solve(HYPRE_Solver solver, HYPRE_ParCSRMatrix A, HYPRE_ParVector b,
                                    HYPRE_ParVector x)
{
    (void)A;
    xhi_precond *P = (xhi_precond *)solver;
    xh_status st = xhi_precond_apply64(P, xhi_local_data(b), xhi_local_data(x));
    if (st < 0 && P->failure == XH_OK) P->failure = st;
    return 0;
}

static HYPRE_Int xhi_hypre_cb_setup(HYPRE_Solver solver, HYPRE_ParCSRMatrix A, HYPRE_ParVector b,
                                    HYPRE_ParVector x)
{
    (void)solver;
    (void)A;
    (void)b;
    (void)x;
    return 0;
}

void xhi_precond_hypre(xhi_precond *P, HYPRE_PtrToParSolverFcn *solve,
                       HYPRE_PtrToParSolverFcn *setup, HYPRE_Solver *solver)
{
    *setup = xhi_hypre_cb_setup;
    *solve = NULL;
    *solver = NULL;
    if (xhi_precond_is_identity(P)) return;
    if (P->type->hypre_native) {
        P->type->hypre_native(P->ctx, solve, solver);
        return;
    }
    *solve = xhi_hypre_cb_solve;
    *solver = (HYPRE_Solver)P;
}

void xhi_precond_destroy(xhi_precond **P)
{
    if (!P || !*P) return;
    xhi_precond *p = *P;
    if (p->type && p->type->destroy) p->type->destroy(p->ctx);
    xhi_free(p->b64);
    xhi_free(p->x64);
    xhi_free(p);
    *P = NULL;
}
