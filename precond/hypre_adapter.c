/* precond/hypre_adapter.c — a HYPRE ParCSR preconditioner (from the registry in hypre_precond.c)
 * applied to xhypre's FP64 vectors inside the generic Krylov methods.  The vectors own HYPRE
 * ParVectors, so the preconditioner runs on them directly, unchanged.  The diagonal one (jacobi)
 * computes what HYPRE's DiagScale computes, x_i = b_i / a_ii with a_ii the first entry of row i of
 * the ParCSR diagonal block (where HYPRE keeps the diagonal), from a copy of those entries: HYPRE
 * reads them out of the matrix's value array on every application, a cache line per row. */
#include <_hypre_parcsr_mv.h>

#include "private/xhi_krylov.h"

xh_status xhi_hypre_pc_create(MPI_Comm comm, const xh_options *opt, const xh_matrix *A,
                              xhi_hypre_pc *hpc)
{
    xh_status st = XH_OK;
    hpc->A = A;
    hpc->solver = NULL;
    hpc->diag = NULL;
    hpc->ops = xhi_precond_find(opt->precond);
    XH_CHECK(hpc->ops != NULL, XH_ERR_ARG, "unknown preconditioner '%s'", opt->precond);
    XH_CALL(hpc->ops->create(comm, opt, &hpc->solver));
cleanup:
    return st;
}

static xh_status xhi_diag_apply(const xhi_pc *pc, const xhi_vector *b, xhi_vector *x)
{
    const xhi_hypre_pc *hpc = pc->data;
    const double *bd = b->data;
    double *xd = x->data;
    for (HYPRE_Int i = 0; i < b->ctx->n; i++) xd[i] = bd[i] / hpc->diag[i];
    return XH_OK;
}

/* a_ii as HYPRE's DiagScale reads it (1 for an empty row, where HYPRE would read past it). */
static xh_status xhi_diag_copy(xhi_hypre_pc *hpc)
{
    xh_status st = XH_OK;
    hypre_CSRMatrix *d = hypre_ParCSRMatrixDiag((hypre_ParCSRMatrix *)hpc->A->par);
    const HYPRE_Int *rowptr = hypre_CSRMatrixI(d);
    const HYPRE_Real *val = hypre_CSRMatrixData(d);
    HYPRE_Int n = hypre_CSRMatrixNumRows(d);
    XH_CALL(XHI_ALLOC(&hpc->diag, n, "Jacobi diagonal"));
    for (HYPRE_Int i = 0; i < n; i++) hpc->diag[i] = rowptr[i] < rowptr[i + 1] ? val[rowptr[i]] : 1.0;
cleanup:
    return st;
}

static xh_status xhi_hypre_pc_apply(const xhi_pc *pc, const xhi_vector *b, xhi_vector *x)
{
    xh_status st = XH_OK;
    const xhi_hypre_pc *hpc = pc->data;
    XH_CALL_HYPRE(hpc->ops->solve(hpc->solver, hpc->A->par, b->par.par, x->par.par));
cleanup:
    return st;
}

xh_status xhi_hypre_pc_setup(xhi_hypre_pc *hpc, xhi_pc *pc)
{
    xh_status st = XH_OK;
    xhi_parvector b = {0}, x = {0};
    pc->data = hpc;
    pc->apply = hpc->ops->solve ? xhi_hypre_pc_apply : NULL;
    pc->reads_x = pc->apply != NULL; /* HYPRE's preconditioners iterate from x */
    if (hpc->ops->diagonal) {
        XH_CALL(xhi_diag_copy(hpc));
        pc->apply = xhi_diag_apply;
        pc->reads_x = 0;
        goto cleanup;
    }
    if (!hpc->ops->setup) goto cleanup;
    /* HYPRE's setup calls take vectors for their signature; their values are not used. */
    XH_CALL(xhi_parvector_create(hpc->A, &b));
    XH_CALL(xhi_parvector_create(hpc->A, &x));
    XH_CALL_HYPRE(hpc->ops->setup(hpc->solver, hpc->A->par, b.par, x.par));
cleanup:
    xhi_parvector_destroy(&b);
    xhi_parvector_destroy(&x);
    return st;
}

void xhi_hypre_pc_destroy(xhi_hypre_pc *hpc)
{
    if (hpc->solver) hpc->ops->destroy(hpc->solver);
    hpc->solver = NULL;
    xhi_free(hpc->diag);
    hpc->diag = NULL;
}
