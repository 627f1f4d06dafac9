/* precond/pc_hypre.c — HYPRE's own preconditioners as registry entries: ilu0, iluk, euclid,
 * parasails, fsai, boomeramg.
 *
 * Each is set up as one application per Krylov iteration (max 1 iteration, tolerance 0), with
 * HYPRE 2.26's defaults otherwise.  Orderings: HYPRE's ILU (ilu0, iluk) reorders each rank's
 * block with reverse Cuthill-McKee by default; xhypre's default is the natural order
 * (-ilu_reorder none), which took fewer iterations on the shared and generated sets (README),
 * and -ilu_reorder rcm is HYPRE's.  Euclid and ParaSails use the natural order.  On more than one
 * rank ILU is block Jacobi over the ranks (HYPRE's ILU type 0), so its iteration count may depend
 * on the number of ranks.
 *
 * The FP64 apply runs HYPRE's solve on the caller's arrays without copying: two ParVectors of the
 * matrix's distribution lend HYPRE their structure, their local data pointing at the caller's
 * arrays for the one call.  HYPRE's preconditioners iterate from the x they are given (their
 * Krylov callers clear it), so x starts at zero.  The FP32 apply is the registry's conversion
 * through the FP64 one; the fp64 mode hands HYPRE the solver itself (hypre_native).
 */
#include <string.h>

#include <_hypre_parcsr_mv.h>

#include "private/xhi_precond.h"

/* One HYPRE preconditioner: how to create and configure it, and its functions. */
typedef struct xhi_hypre_kind {
    xh_status (*configure)(MPI_Comm comm, const xh_options *opt, HYPRE_Solver *pc);
    HYPRE_Int (*destroy)(HYPRE_Solver pc);
    HYPRE_PtrToParSolverFcn solve, setup;
} xhi_hypre_kind;

typedef struct xhi_hypre_ctx {
    const xhi_hypre_kind *kind;
    HYPRE_Solver solver;
    const xh_matrix *A;
    xhi_parvector b, x;          /* structure lent to HYPRE; data swapped per apply */
} xhi_hypre_ctx;

/* ---- the kinds ----------------------------------------------------------------------------- */

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

static xh_status xhi_ilu_level(int level, const xh_options *opt, HYPRE_Solver *pc)
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

static xh_status xhi_configure_ilu0(MPI_Comm comm, const xh_options *opt, HYPRE_Solver *pc)
{
    (void)comm;
    return xhi_ilu_level(0, opt, pc);
}

static xh_status xhi_configure_iluk(MPI_Comm comm, const xh_options *opt, HYPRE_Solver *pc)
{
    (void)comm;
    return xhi_ilu_level(opt->ilu_level, opt, pc);
}

static xh_status xhi_configure_euclid(MPI_Comm comm, const xh_options *opt, HYPRE_Solver *pc)
{
    xh_status st = XH_OK;
    XH_CALL_HYPRE(HYPRE_EuclidCreate(comm, pc));
    XH_CALL_HYPRE(HYPRE_EuclidSetLevel(*pc, opt->ilu_level));
cleanup:
    return st;
}

static xh_status xhi_configure_parasails(MPI_Comm comm, const xh_options *opt, HYPRE_Solver *pc)
{
    xh_status st = XH_OK;
    XH_CALL_HYPRE(HYPRE_ParaSailsCreate(comm, pc));
    /* PCG needs a symmetric preconditioner: ParaSails then builds a factored SPD one. */
    XH_CALL_HYPRE(HYPRE_ParaSailsSetSym(*pc, strcmp(opt->solver, "pcg") == 0 ? 1 : 0));
cleanup:
    return st;
}

static xh_status xhi_configure_fsai(MPI_Comm comm, const xh_options *opt, HYPRE_Solver *pc)
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

static xh_status xhi_configure_boomeramg(MPI_Comm comm, const xh_options *opt, HYPRE_Solver *pc)
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

/* ---- the ops shared by every kind ------------------------------------------------------------ */

static xh_status xhi_hypre_create(const xhi_hypre_kind *kind, MPI_Comm comm, const xh_options *opt,
                                  void **out)
{
    xh_status st = XH_OK;
    xhi_hypre_ctx *c = NULL;
    XH_CALL(XHI_CALLOC(&c, 1, "HYPRE preconditioner"));
    c->kind = kind;
    XH_CALL(kind->configure(comm, opt, &c->solver));
cleanup:
    *out = c;
    return st;
}

static xh_status xhi_hypre_setup(void *ctx, const xh_matrix *A)
{
    xh_status st = XH_OK;
    xhi_hypre_ctx *c = ctx;
    c->A = A;
    xhi_parvector_destroy(&c->b);
    xhi_parvector_destroy(&c->x);
    XH_CALL(xhi_parvector_create(A, &c->b));
    XH_CALL(xhi_parvector_create(A, &c->x));
    /* HYPRE's setup calls take vectors for their signature; their values are not used. */
    XH_CALL_HYPRE(c->kind->setup(c->solver, A->par, c->b.par, c->x.par));
cleanup:
    return st;
}

static xh_status xhi_hypre_apply64(void *ctx, const double *b, double *x)
{
    xh_status st = XH_OK;
    xhi_hypre_ctx *c = ctx;
    hypre_Vector *lb = hypre_ParVectorLocalVector((hypre_ParVector *)c->b.par);
    hypre_Vector *lx = hypre_ParVectorLocalVector((hypre_ParVector *)c->x.par);
    if (c->b.n > 0) memset(x, 0, (size_t)c->b.n * sizeof *x);
    hypre_VectorData(lb) = (double *)b; /* HYPRE only reads b */
    hypre_VectorData(lx) = x;
    HYPRE_Int err = c->kind->solve(c->solver, c->A->par, c->b.par, c->x.par);
    hypre_VectorData(lb) = c->b.data;
    hypre_VectorData(lx) = c->x.data;
    XH_CALL_HYPRE(err);
cleanup:
    return st;
}

static void xhi_hypre_native(void *ctx, HYPRE_PtrToParSolverFcn *solve, HYPRE_Solver *solver)
{
    xhi_hypre_ctx *c = ctx;
    *solve = c->kind->solve;
    *solver = c->solver;
}

static void xhi_hypre_destroy(void *ctx)
{
    xhi_hypre_ctx *c = ctx;
    if (!c) return;
    if (c->solver) c->kind->destroy(c->solver);
    xhi_parvector_destroy(&c->b);
    xhi_parvector_destroy(&c->x);
    xhi_free(c);
}

/* An entry per kind; the FP32 apply is the registry's conversion (apply32 NULL). */
#define XHI_HYPRE_ENTRY(id, help_text, destroy_fn, solve_fn, setup_fn)                        \
    static const xhi_hypre_kind xhi_kind_##id = {xhi_configure_##id, destroy_fn, solve_fn,     \
                                                 setup_fn};                                     \
    static xh_status xhi_create_##id(MPI_Comm comm, const xh_options *opt, void **ctx)          \
    {                                                                                           \
        return xhi_hypre_create(&xhi_kind_##id, comm, opt, ctx);                                \
    }                                                                                           \
    const xhi_precond_type xhi_precond_##id = {#id,          help_text,         xhi_create_##id,   \
                                               xhi_hypre_setup, xhi_hypre_apply64, NULL,        \
                                               NULL,         xhi_hypre_destroy, xhi_hypre_native}

XHI_HYPRE_ENTRY(ilu0, "HYPRE ILU(0), block Jacobi over ranks (-ilu_reorder)", HYPRE_ILUDestroy,
                HYPRE_ILUSolve, HYPRE_ILUSetup);
XHI_HYPRE_ENTRY(iluk, "HYPRE ILU(k), k = -ilu_level (-ilu_reorder)", HYPRE_ILUDestroy,
                HYPRE_ILUSolve, HYPRE_ILUSetup);
XHI_HYPRE_ENTRY(euclid, "Euclid parallel ILU(k), k = -ilu_level", HYPRE_EuclidDestroy,
                HYPRE_EuclidSolve, HYPRE_EuclidSetup);
XHI_HYPRE_ENTRY(parasails, "ParaSails sparse approximate inverse", HYPRE_ParaSailsDestroy,
                HYPRE_ParaSailsSolve, HYPRE_ParaSailsSetup);
XHI_HYPRE_ENTRY(fsai, "factorized sparse approximate inverse (SPD matrices)", HYPRE_FSAIDestroy,
                HYPRE_FSAISolve, HYPRE_FSAISetup);
XHI_HYPRE_ENTRY(boomeramg, "BoomerAMG algebraic multigrid, one V-cycle", HYPRE_BoomerAMGDestroy,
                HYPRE_BoomerAMGSolve, HYPRE_BoomerAMGSetup);
