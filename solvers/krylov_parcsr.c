/* solvers/krylov_parcsr.c — HYPRE 2.26's ParCSR Krylov methods, registered by name.
 *
 * The entries are HYPRE's own HYPRE_ParCSR* calls, so the fp64 mode runs exactly what a user of
 * HYPRE would run.  The residual history is read from the method's data structure (krylov.h),
 * where HYPRE keeps it when logging is on: HYPRE has no public call for it.
 */
#include <string.h>

#include <krylov.h>

#include "private/xhi_krylov.h"

/* Stop on ||r||/||b|| like every other method (HYPRE's PCG default is the C-norm). */
static xh_status xhi_pcg_two_norm(HYPRE_Solver solver, const xh_options *opt)
{
    xh_status st = XH_OK;
    (void)opt;
    XH_CALL_HYPRE(HYPRE_ParCSRPCGSetTwoNorm(solver, 1));
cleanup:
    return st;
}

static xh_status xhi_cogmres_refine(HYPRE_Solver solver, const xh_options *opt)
{
    xh_status st = XH_OK;
    const xhi_refine_choice *r = xhi_refine_find(opt->cogmres_refine);
    XH_CHECK(r && r->stock_ok, XH_ERR_ARG,
             "-cogmres_refine %s needs xhypre's kernels (-kernels xhypre, or another precision); "
             "HYPRE's own COGMRES offers never and hypre", opt->cogmres_refine);
    XH_CALL_HYPRE(HYPRE_ParCSRCOGMRESSetCGS(solver, r->hypre_cgs));
cleanup:
    return st;
}

const HYPRE_Real *xhi_gmres_norms(HYPRE_Solver s) { return ((hypre_GMRESData *)s)->norms; }
const HYPRE_Real *xhi_fgmres_norms(HYPRE_Solver s) { return ((hypre_FlexGMRESData *)s)->norms; }
const HYPRE_Real *xhi_cogmres_norms(HYPRE_Solver s) { return ((hypre_COGMRESData *)s)->norms; }
const HYPRE_Real *xhi_pcg_norms(HYPRE_Solver s) { return ((hypre_PCGData *)s)->norms; }
const HYPRE_Real *xhi_bicgstab_norms(HYPRE_Solver s)
{
    return ((hypre_BiCGSTABData *)s)->norms;
}

static const xhi_krylov_ops xhi_krylov_table[] = {
    {"gmres", "restarted GMRES (right preconditioning)", HYPRE_ParCSRGMRESCreate,
     HYPRE_ParCSRGMRESDestroy, HYPRE_ParCSRGMRESSetTol, HYPRE_ParCSRGMRESSetMaxIter,
     HYPRE_ParCSRGMRESSetKDim, HYPRE_ParCSRGMRESSetLogging, HYPRE_ParCSRGMRESSetPrintLevel, NULL,
     HYPRE_ParCSRGMRESSetPrecond,
     HYPRE_ParCSRGMRESSetup, HYPRE_ParCSRGMRESSolve, HYPRE_ParCSRGMRESGetNumIterations,
     HYPRE_ParCSRGMRESGetFinalRelativeResidualNorm, xhi_gmres_norms, 0},
    {"fgmres", "flexible GMRES (variable preconditioners)", HYPRE_ParCSRFlexGMRESCreate,
     HYPRE_ParCSRFlexGMRESDestroy, HYPRE_ParCSRFlexGMRESSetTol, HYPRE_ParCSRFlexGMRESSetMaxIter,
     HYPRE_ParCSRFlexGMRESSetKDim, HYPRE_ParCSRFlexGMRESSetLogging,
     HYPRE_ParCSRFlexGMRESSetPrintLevel, NULL,
     HYPRE_ParCSRFlexGMRESSetPrecond, HYPRE_ParCSRFlexGMRESSetup, HYPRE_ParCSRFlexGMRESSolve,
     HYPRE_ParCSRFlexGMRESGetNumIterations, HYPRE_ParCSRFlexGMRESGetFinalRelativeResidualNorm,
     xhi_fgmres_norms, 0},
    {"cogmres", "GMRES with classical Gram-Schmidt (HYPRE's COGMRES: fused multi-vector products)",
     HYPRE_ParCSRCOGMRESCreate, HYPRE_ParCSRCOGMRESDestroy, HYPRE_ParCSRCOGMRESSetTol,
     HYPRE_ParCSRCOGMRESSetMaxIter, HYPRE_ParCSRCOGMRESSetKDim, HYPRE_ParCSRCOGMRESSetLogging,
     HYPRE_ParCSRCOGMRESSetPrintLevel, xhi_cogmres_refine, HYPRE_ParCSRCOGMRESSetPrecond,
     HYPRE_ParCSRCOGMRESSetup, HYPRE_ParCSRCOGMRESSolve, HYPRE_ParCSRCOGMRESGetNumIterations,
     HYPRE_ParCSRCOGMRESGetFinalRelativeResidualNorm, xhi_cogmres_norms, 0},
    {"pcg", "conjugate gradients (SPD matrix and preconditioner)", HYPRE_ParCSRPCGCreate,
     HYPRE_ParCSRPCGDestroy, HYPRE_ParCSRPCGSetTol, HYPRE_ParCSRPCGSetMaxIter, NULL,
     HYPRE_ParCSRPCGSetLogging, NULL, xhi_pcg_two_norm, HYPRE_ParCSRPCGSetPrecond, HYPRE_ParCSRPCGSetup,
     HYPRE_ParCSRPCGSolve, HYPRE_ParCSRPCGGetNumIterations,
     HYPRE_ParCSRPCGGetFinalRelativeResidualNorm, xhi_pcg_norms, 0},
    {"bicgstab", "BiCGSTAB", HYPRE_ParCSRBiCGSTABCreate, HYPRE_ParCSRBiCGSTABDestroy,
     HYPRE_ParCSRBiCGSTABSetTol, HYPRE_ParCSRBiCGSTABSetMaxIter, NULL,
     HYPRE_ParCSRBiCGSTABSetLogging, NULL, NULL, HYPRE_ParCSRBiCGSTABSetPrecond,
     HYPRE_ParCSRBiCGSTABSetup, HYPRE_ParCSRBiCGSTABSolve, HYPRE_ParCSRBiCGSTABGetNumIterations,
     HYPRE_ParCSRBiCGSTABGetFinalRelativeResidualNorm, xhi_bicgstab_norms, 2},
};
#define XHI_NKRYLOV (int)(sizeof xhi_krylov_table / sizeof xhi_krylov_table[0])

int xhi_breakdown_iterations(int reported, long precond_calls, int precond_per_iteration)
{
    if (precond_per_iteration <= 0) return reported;
    long counted = (precond_calls + precond_per_iteration - 1) / precond_per_iteration;
    return counted > reported ? (int)counted : reported;
}

const xhi_krylov_ops *xhi_krylov_find(const char *name)
{
    for (int i = 0; name && i < XHI_NKRYLOV; i++)
        if (strcmp(xhi_krylov_table[i].name, name) == 0) return &xhi_krylov_table[i];
    return NULL;
}

const char *xhi_krylov_name(int i)
{
    return i >= 0 && i < XHI_NKRYLOV ? xhi_krylov_table[i].name : NULL;
}
