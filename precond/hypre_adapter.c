/* precond/hypre_adapter.c — a HYPRE ParCSR preconditioner (from the registry in hypre_precond.c)
 * applied to xhypre's FP64 vectors inside the generic Krylov methods.  The vectors own HYPRE
 * ParVectors, so the preconditioner runs on them directly, unchanged. */
#include "private/xhi_krylov.h"

xh_status xhi_hypre_pc_create(MPI_Comm comm, const xh_options *opt, const xh_matrix *A,
                              xhi_hypre_pc *hpc)
{
    xh_status st = XH_OK;
    hpc->A = A;
    hpc->solver = NULL;
    hpc->ops = xhi_precond_find(opt->precond);
    XH_CHECK(hpc->ops != NULL, XH_ERR_ARG, "unknown preconditioner '%s'", opt->precond);
    XH_CALL(hpc->ops->create(comm, opt, &hpc->solver));
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
}
