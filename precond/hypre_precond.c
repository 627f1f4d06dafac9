/* precond/hypre_precond.c — HYPRE's own preconditioners, registered by name for the solve modes.
 *
 * Each is set up as one application per Krylov iteration (max 1 iteration, tolerance 0), with
 * HYPRE 2.26's defaults otherwise.  Orderings: HYPRE's ILU (ilu0, iluk) reorders each rank's
 * block with reverse Cuthill-McKee by default; xhypre's default is the natural order
 * (-ilu_reorder none), which took fewer iterations on the shared and generated sets (README),
 * and -ilu_reorder rcm is HYPRE's.  Euclid and ParaSails use the natural order.  On more than one rank ILU is block Jacobi over the ranks (HYPRE's ILU type
 * 0), so its iteration count may depend on the number of ranks.
 */
#include <string.h>

#include "private/xhi_solver.h"

static xh_status xhi_pc_none(MPI_Comm comm, const xh_options *opt, HYPRE_Solver *pc)
{
    (void)comm;
    (void)opt;
    *pc = NULL;
    return XH_OK;
}

/* Jacobi runs without a solver object: HYPRE's diagonal scaling takes a NULL one. */
#define xhi_pc_jacobi xhi_pc_none

/* -ilu_reorder: the value of HYPRE_ILUSetLocalReordering for each name. */
static const struct {
    const char *name;
    HYPRE_Int hypre_value;
} xhi_ilu_orders[] = {{"none", 0}, {"rcm", 1}};
#define XHI_NILU_ORDERS (int)(sizeof xhi_ilu_orders / sizeof xhi_ilu_orders[0])

const char *xhi_ilu_reorder_name(int i)
{
    return i >= 0 && i < XHI_NILU_ORDERS ? xhi_ilu_orders[i].name : NULL;
}

static xh_status xhi_pc_ilu_level(int level, const xh_options *opt, HYPRE_Solver *pc)
{
    xh_status st = XH_OK;
    HYPRE_Int order = -1;
    for (int i = 0; i < XHI_NILU_ORDERS; i++)
        if (strcmp(xhi_ilu_orders[i].name, opt->ilu_reorder) == 0) order = xhi_ilu_orders[i].hypre_value;
    XH_CHECK(order >= 0, XH_ERR_ARG, "unknown ILU ordering '%s'", opt->ilu_reorder);
    XH_CALL_HYPRE(HYPRE_ILUCreate(pc));
    XH_CALL_HYPRE(HYPRE_ILUSetType(*pc, 0)); /* block-Jacobi ILU(k) */
    XH_CALL_HYPRE(HYPRE_ILUSetLevelOfFill(*pc, level));
    XH_CALL_HYPRE(HYPRE_ILUSetLocalReordering(*pc, order));
    XH_CALL_HYPRE(HYPRE_ILUSetMaxIter(*pc, 1));
    XH_CALL_HYPRE(HYPRE_ILUSetTol(*pc, 0.0));
    XH_CALL_HYPRE(HYPRE_ILUSetPrintLevel(*pc, 0));
cleanup:
    return st;
}

static xh_status xhi_pc_ilu0(MPI_Comm comm, const xh_options *opt, HYPRE_Solver *pc)
{
    (void)comm;
    return xhi_pc_ilu_level(0, opt, pc);
}

static xh_status xhi_pc_iluk(MPI_Comm comm, const xh_options *opt, HYPRE_Solver *pc)
{
    (void)comm;
    return xhi_pc_ilu_level(opt->ilu_level, opt, pc);
}

static xh_status xhi_pc_euclid(MPI_Comm comm, const xh_options *opt, HYPRE_Solver *pc)
{
    xh_status st = XH_OK;
    XH_CALL_HYPRE(HYPRE_EuclidCreate(comm, pc));
    XH_CALL_HYPRE(HYPRE_EuclidSetLevel(*pc, opt->ilu_level));
cleanup:
    return st;
}

static xh_status xhi_pc_parasails(MPI_Comm comm, const xh_options *opt, HYPRE_Solver *pc)
{
    xh_status st = XH_OK;
    XH_CALL_HYPRE(HYPRE_ParaSailsCreate(comm, pc));
    /* PCG needs a symmetric preconditioner: ParaSails then builds a factored SPD one. */
    XH_CALL_HYPRE(HYPRE_ParaSailsSetSym(*pc, strcmp(opt->solver, "pcg") == 0 ? 1 : 0));
cleanup:
    return st;
}

static xh_status xhi_pc_fsai(MPI_Comm comm, const xh_options *opt, HYPRE_Solver *pc)
{
    xh_status st = XH_OK;
    (void)comm;
    (void)opt;
    XH_CALL_HYPRE(HYPRE_FSAICreate(pc));
    XH_CALL_HYPRE(HYPRE_FSAISetMaxIterations(*pc, 1));
    XH_CALL_HYPRE(HYPRE_FSAISetTolerance(*pc, 0.0));
    XH_CALL_HYPRE(HYPRE_FSAISetZeroGuess(*pc, 1));
    XH_CALL_HYPRE(HYPRE_FSAISetPrintLevel(*pc, 0));
cleanup:
    return st;
}

static xh_status xhi_pc_boomeramg(MPI_Comm comm, const xh_options *opt, HYPRE_Solver *pc)
{
    xh_status st = XH_OK;
    (void)comm;
    (void)opt;
    XH_CALL_HYPRE(HYPRE_BoomerAMGCreate(pc));
    XH_CALL_HYPRE(HYPRE_BoomerAMGSetMaxIter(*pc, 1));
    XH_CALL_HYPRE(HYPRE_BoomerAMGSetTol(*pc, 0.0));
    XH_CALL_HYPRE(HYPRE_BoomerAMGSetPrintLevel(*pc, 0));
cleanup:
    return st;
}

static HYPRE_Int xhi_destroy_nothing(HYPRE_Solver pc)
{
    (void)pc;
    return 0;
}

static const xhi_precond_ops xhi_precond_table[] = {
    {"none", "no preconditioner", xhi_pc_none, xhi_destroy_nothing, NULL, NULL, 0},
    {"jacobi", "diagonal scaling", xhi_pc_jacobi, xhi_destroy_nothing, HYPRE_ParCSRDiagScale,
     HYPRE_ParCSRDiagScaleSetup, 1},
    {"ilu0", "HYPRE ILU(0), block Jacobi over ranks, local RCM ordering", xhi_pc_ilu0,
     HYPRE_ILUDestroy, HYPRE_ILUSolve, HYPRE_ILUSetup, 0},
    {"iluk", "HYPRE ILU(k), k = -ilu_level", xhi_pc_iluk, HYPRE_ILUDestroy, HYPRE_ILUSolve,
     HYPRE_ILUSetup, 0},
    {"euclid", "Euclid parallel ILU(k), k = -ilu_level", xhi_pc_euclid, HYPRE_EuclidDestroy,
     HYPRE_EuclidSolve, HYPRE_EuclidSetup, 0},
    {"parasails", "ParaSails sparse approximate inverse", xhi_pc_parasails,
     HYPRE_ParaSailsDestroy, HYPRE_ParaSailsSolve, HYPRE_ParaSailsSetup, 0},
    {"fsai", "factorized sparse approximate inverse (SPD matrices)", xhi_pc_fsai,
     HYPRE_FSAIDestroy, HYPRE_FSAISolve, HYPRE_FSAISetup, 0},
    {"boomeramg", "BoomerAMG algebraic multigrid, one V-cycle", xhi_pc_boomeramg,
     HYPRE_BoomerAMGDestroy, HYPRE_BoomerAMGSolve, HYPRE_BoomerAMGSetup, 0},
};
#define XHI_NPRECOND (int)(sizeof xhi_precond_table / sizeof xhi_precond_table[0])

const xhi_precond_ops *xhi_precond_find(const char *name)
{
    for (int i = 0; name && i < XHI_NPRECOND; i++)
        if (strcmp(xhi_precond_table[i].name, name) == 0) return &xhi_precond_table[i];
    return NULL;
}

const char *xhi_precond_name(int i)
{
    return i >= 0 && i < XHI_NPRECOND ? xhi_precond_table[i].name : NULL;
}
