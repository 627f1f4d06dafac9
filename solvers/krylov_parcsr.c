/* solvers/krylov_parcsr.c — HYPRE 2.26's ParCSR Krylov methods, registered by name.
 *
 * The entries are HYPRE's own HYPRE_ParCSR* calls, so the fp64 mode runs exactly what a user of
 * HYPRE would run; only the creates differ: they bind the same hypre_ParKrylov* operations as
 * HYPRE_ParCSR<method>Create does, each through a timer for the solve's log (xhi_log.h).  The
 * residual history is read from the method's data structure (krylov.h), where HYPRE keeps it when
 * logging is on: HYPRE has no public call for it.
 */
#include <string.h>

#include <_hypre_parcsr_ls.h>
#include <krylov.h>

#include "private/xhi_krylov.h"

/* ---- HYPRE's ParCSR vector operations, timed --------------------------------------------------
 * hypre_ParKrylovInnerProd and the mass products reduce over the ranks inside HYPRE, so in stock
 * HYPRE VecDot includes the reductions (VecReduce stays 0).  The preconditioner is timed by the
 * fp64 mode (solvers/mode_fp64.c), which always sets one. */
static HYPRE_Int xhi_stock_matvec(void *data, HYPRE_Complex alpha, void *A, void *x,
                                  HYPRE_Complex beta, void *y)
{
    XHI_LOG_RETURN(XHI_EV_MATMULT, HYPRE_Int, hypre_ParKrylovMatvec(data, alpha, A, x, beta, y));
}

static HYPRE_Real xhi_stock_inner_prod(void *x, void *y)
{
    XHI_LOG_RETURN(XHI_EV_VECDOT, HYPRE_Real, hypre_ParKrylovInnerProd(x, y));
}

static HYPRE_Int xhi_stock_mass_inner_prod(void *x, void **p, HYPRE_Int k, HYPRE_Int unroll,
                                           void *result)
{
    XHI_LOG_RETURN(XHI_EV_VECDOT, HYPRE_Int,
                   hypre_ParKrylovMassInnerProd(x, p, k, unroll, result));
}

static HYPRE_Int xhi_stock_mass_dotp_two(void *x, void *y, void **p, HYPRE_Int k,
                                         HYPRE_Int unroll, void *result_x, void *result_y)
{
    XHI_LOG_RETURN(XHI_EV_VECDOT, HYPRE_Int,
                   hypre_ParKrylovMassDotpTwo(x, y, p, k, unroll, result_x, result_y));
}

static HYPRE_Int xhi_stock_copy(void *x, void *y)
{
    XHI_LOG_RETURN(XHI_EV_VECAXPY, HYPRE_Int, hypre_ParKrylovCopyVector(x, y));
}

static HYPRE_Int xhi_stock_clear(void *x)
{
    XHI_LOG_RETURN(XHI_EV_VECAXPY, HYPRE_Int, hypre_ParKrylovClearVector(x));
}

static HYPRE_Int xhi_stock_scale(HYPRE_Complex alpha, void *x)
{
    XHI_LOG_RETURN(XHI_EV_VECAXPY, HYPRE_Int, hypre_ParKrylovScaleVector(alpha, x));
}

static HYPRE_Int xhi_stock_axpy(HYPRE_Complex alpha, void *x, void *y)
{
    XHI_LOG_RETURN(XHI_EV_VECAXPY, HYPRE_Int, hypre_ParKrylovAxpy(alpha, x, y));
}

static HYPRE_Int xhi_stock_mass_axpy(HYPRE_Complex *alpha, void **x, void *y, HYPRE_Int k,
                                     HYPRE_Int unroll)
{
    XHI_LOG_RETURN(XHI_EV_VECAXPY, HYPRE_Int, hypre_ParKrylovMassAxpy(alpha, x, y, k, unroll));
}

/* As HYPRE_ParCSR<method>Create (HYPRE 2.26), with the timed operations.  GMRES's and
 * FlexGMRES's tables take the same functions: */
#define XHI_STOCK_GMRES_FUNCTIONS                                                              \
    hypre_ParKrylovCAlloc, hypre_ParKrylovFree, hypre_ParKrylovCommInfo,                       \
        hypre_ParKrylovCreateVector, hypre_ParKrylovCreateVectorArray,                         \
        hypre_ParKrylovDestroyVector, hypre_ParKrylovMatvecCreate, xhi_stock_matvec,           \
        hypre_ParKrylovMatvecDestroy, xhi_stock_inner_prod, xhi_stock_copy, xhi_stock_clear,   \
        xhi_stock_scale, xhi_stock_axpy, hypre_ParKrylovIdentitySetup, hypre_ParKrylovIdentity

static HYPRE_Int xhi_stock_gmres_create(MPI_Comm comm, HYPRE_Solver *solver)
{
    (void)comm;
    *solver = (HYPRE_Solver)hypre_GMRESCreate(hypre_GMRESFunctionsCreate(XHI_STOCK_GMRES_FUNCTIONS));
    return hypre_error_flag;
}

static HYPRE_Int xhi_stock_fgmres_create(MPI_Comm comm, HYPRE_Solver *solver)
{
    (void)comm;
    *solver = (HYPRE_Solver)hypre_FlexGMRESCreate(
        hypre_FlexGMRESFunctionsCreate(XHI_STOCK_GMRES_FUNCTIONS));
    return hypre_error_flag;
}

static HYPRE_Int xhi_stock_cogmres_create(MPI_Comm comm, HYPRE_Solver *solver)
{
    (void)comm;
    *solver = (HYPRE_Solver)hypre_COGMRESCreate(hypre_COGMRESFunctionsCreate(
        hypre_ParKrylovCAlloc, hypre_ParKrylovFree, hypre_ParKrylovCommInfo,
        hypre_ParKrylovCreateVector, hypre_ParKrylovCreateVectorArray,
        hypre_ParKrylovDestroyVector, hypre_ParKrylovMatvecCreate, xhi_stock_matvec,
        hypre_ParKrylovMatvecDestroy, xhi_stock_inner_prod, xhi_stock_mass_inner_prod,
        xhi_stock_mass_dotp_two, xhi_stock_copy, xhi_stock_clear, xhi_stock_scale,
        xhi_stock_axpy, xhi_stock_mass_axpy, hypre_ParKrylovIdentitySetup,
        hypre_ParKrylovIdentity));
    return hypre_error_flag;
}

static HYPRE_Int xhi_stock_pcg_create(MPI_Comm comm, HYPRE_Solver *solver)
{
    (void)comm;
    *solver = (HYPRE_Solver)hypre_PCGCreate(hypre_PCGFunctionsCreate(
        hypre_ParKrylovCAlloc, hypre_ParKrylovFree, hypre_ParKrylovCommInfo,
        hypre_ParKrylovCreateVector, hypre_ParKrylovDestroyVector, hypre_ParKrylovMatvecCreate,
        xhi_stock_matvec, hypre_ParKrylovMatvecDestroy, xhi_stock_inner_prod, xhi_stock_copy,
        xhi_stock_clear, xhi_stock_scale, xhi_stock_axpy, hypre_ParKrylovIdentitySetup,
        hypre_ParKrylovIdentity));
    return hypre_error_flag;
}

static HYPRE_Int xhi_stock_bicgstab_create(MPI_Comm comm, HYPRE_Solver *solver)
{
    (void)comm;
    *solver = (HYPRE_Solver)hypre_BiCGSTABCreate(hypre_BiCGSTABFunctionsCreate(
        hypre_ParKrylovCreateVector, hypre_ParKrylovDestroyVector, hypre_ParKrylovMatvecCreate,
        xhi_stock_matvec, hypre_ParKrylovMatvecDestroy, xhi_stock_inner_prod, xhi_stock_copy,
        xhi_stock_clear, xhi_stock_scale, xhi_stock_axpy, hypre_ParKrylovCommInfo,
        hypre_ParKrylovIdentitySetup, hypre_ParKrylovIdentity));
    return hypre_error_flag;
}

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

/* What a method's setup would get wrong when it runs again on the same object (the refinement
 * modes' inner solves set up before each solve; the fp64 mode sets up again after -tol, -maxit
 * or -history change), released before each setup; both found by make test-asan:
 *  - HYPRE 2.26's FlexGMRES, COGMRES and BiCGSTAB setups allocate the norm log, maxit + 1
 *    entries, only when there is none, so a solve with a larger maxit than the first setup's
 *    wrote past it (with -history and a larger -maxit it corrupted the heap in every mode).
 *    Dropped, the log is allocated again for the current maxit.  (Methods that reallocate it
 *    themselves just do so again.)
 *  - FlexGMRES's setup creates its k_dim + 1 preconditioned vectors (pre_vecs) every time,
 *    without freeing those of the previous setup: k_dim + 1 vectors leaked per inner solve.
 * Both are freed as HYPRE's destroy frees them. */
#define XHI_NORMS_DROP(d)                                                                        \
    do {                                                                                         \
        if ((d)->norms) (d)->functions->Free((d)->norms);                                        \
        (d)->norms = NULL;                                                                       \
    } while (0)
void xhi_gmres_before_setup(HYPRE_Solver s) { XHI_NORMS_DROP((hypre_GMRESData *)s); }
void xhi_fgmres_before_setup(HYPRE_Solver s)
{
    hypre_FlexGMRESData *d = (hypre_FlexGMRESData *)s;
    XHI_NORMS_DROP(d);
    if (d->pre_vecs) {
        for (HYPRE_Int i = 0; i < d->k_dim + 1; i++)
            if (d->pre_vecs[i]) d->functions->DestroyVector(d->pre_vecs[i]);
        d->functions->Free(d->pre_vecs);
        d->pre_vecs = NULL;
    }
}
void xhi_cogmres_before_setup(HYPRE_Solver s) { XHI_NORMS_DROP((hypre_COGMRESData *)s); }
void xhi_pcg_before_setup(HYPRE_Solver s) { XHI_NORMS_DROP((hypre_PCGData *)s); }
/* BiCGSTAB's functions have no allocator: its setup and destroy use hypre_CTAlloc/hypre_TFree. */
void xhi_bicgstab_before_setup(HYPRE_Solver s)
{
    hypre_BiCGSTABData *d = (hypre_BiCGSTABData *)s;
    hypre_TFree(d->norms, HYPRE_MEMORY_HOST); /* sets it NULL */
}

/* ---- -view: the settings in HYPRE's data (krylov.h), for both drivers ----------------------- */

/* The GMRES family: right preconditioning, so the residual it tests is A's own, and the norm is
 * the Arnoldi recursion's (|last entry of the rotated right-hand side|), which HYPRE confirms with
 * b - A x unless skip_real_r_check.  FlexGMRES always confirms and ignores rel_change. */
static void xhi_view_arnoldi(FILE *out, const char *method, int k_dim, const char *orth,
                             int skip_real_r_check, int rel_change, double tol, double a_tol,
                             int max_iter, int limits)
{
    xhi_view_printf(out, "  HYPRE %s: restart %d, %s, right preconditioning\n", method, k_dim,
                    orth);
    xhi_view_printf(out,
                    "  residual norm: unpreconditioned 2-norm, recursive (Arnoldi) estimate; stop "
                    "when ||r_k|| <= max(a_tol, tol ||b||)%s%s\n",
                    skip_real_r_check ? " (true residual not checked: skip_real_r_check)"
                                      : ", confirmed by the true ||b - A x_k|| (else a restart "
                                        "from it)",
                    rel_change ? " and ||x_k - x_k-1|| <= tol ||x_k|| (rel_change)" : "");
    if (limits)
        xhi_view_printf(out, "  tolerances: tol %g, a_tol %g, maxit %d\n", tol, a_tol, max_iter);
}

void xhi_gmres_view(HYPRE_Solver s, int limits, FILE *out)
{
    const hypre_GMRESData *g = (const hypre_GMRESData *)s;
    xhi_view_arnoldi(out, "GMRES", g->k_dim, "modified Gram-Schmidt", g->skip_real_r_check,
                     g->rel_change, g->tol, g->a_tol, g->max_iter, limits);
}

void xhi_fgmres_view(HYPRE_Solver s, int limits, FILE *out)
{
    const hypre_FlexGMRESData *g = (const hypre_FlexGMRESData *)s;
    xhi_view_arnoldi(out, "FlexGMRES", g->k_dim, "modified Gram-Schmidt", 0, 0, g->tol, g->a_tol,
                     g->max_iter, limits);
}

void xhi_cogmres_view(HYPRE_Solver s, int limits, FILE *out)
{
    const hypre_COGMRESData *g = (const hypre_COGMRESData *)s;
    xhi_view_arnoldi(out, "COGMRES", g->k_dim,
                     g->cgs > 1 ? "classical Gram-Schmidt with HYPRE's re-orthogonalization (cgs 2)"
                                : "classical Gram-Schmidt, one pass (cgs 1)",
                     g->skip_real_r_check, g->rel_change, g->tol, g->a_tol, g->max_iter, limits);
}

void xhi_pcg_view(HYPRE_Solver s, int limits, FILE *out)
{
    const hypre_PCGData *p = (const hypre_PCGData *)s;
    xhi_view_printf(out, "  HYPRE PCG: preconditioned conjugate gradients (SPD A and M)\n");
    xhi_view_printf(out, "  residual norm: %s, recursive (r -= alpha A p); stop when %s%s%s\n",
                    p->two_norm ? "unpreconditioned 2-norm (two_norm 1)"
                                : "preconditioned C-norm <M^-1 r, r> (two_norm 0)",
                    p->two_norm ? "||r_k|| <= max(a_tol, tol ||b||)"
                                : "||r_k||_C <= max(a_tol, tol ||b||_C)",
                    p->recompute_residual ? ", confirmed by the true b - A x_k"
                                          : " (true residual not checked: recompute_residual 0)",
                    p->rel_change ? " and ||x_k - x_k-1|| <= tol ||x_k|| (rel_change)" : "");
    if (limits)
        xhi_view_printf(out, "  tolerances: tol %g, a_tol %g, maxit %d\n", p->tol, p->a_tol,
                        p->max_iter);
}

void xhi_bicgstab_view(HYPRE_Solver s, int limits, FILE *out)
{
    const hypre_BiCGSTABData *b = (const hypre_BiCGSTABData *)s;
    xhi_view_printf(out, "  HYPRE BiCGSTAB: right preconditioning\n");
    xhi_view_printf(out,
                    "  residual norm: unpreconditioned 2-norm, recursive; stop when ||r_k|| <= "
                    "%s, confirmed by the true ||b - A x_k||\n",
                    b->stop_crit ? "an absolute tolerance (stop_crit 1)" : "max(a_tol, tol ||b||)");
    if (limits)
        xhi_view_printf(out, "  tolerances: tol %g, a_tol %g, maxit %d\n", b->tol, b->a_tol,
                        b->max_iter);
}

static const xhi_krylov_ops xhi_krylov_table[] = {
    {"gmres", "restarted GMRES (right preconditioning)", xhi_stock_gmres_create,
     HYPRE_ParCSRGMRESDestroy, HYPRE_ParCSRGMRESSetTol, HYPRE_ParCSRGMRESSetMaxIter,
     HYPRE_ParCSRGMRESSetKDim, HYPRE_ParCSRGMRESSetLogging, HYPRE_ParCSRGMRESSetPrintLevel, NULL,
     HYPRE_ParCSRGMRESSetPrecond,
     HYPRE_ParCSRGMRESSetup, HYPRE_ParCSRGMRESSolve, HYPRE_ParCSRGMRESGetNumIterations,
     HYPRE_ParCSRGMRESGetFinalRelativeResidualNorm, xhi_gmres_norms,
     xhi_gmres_before_setup, 0, xhi_gmres_view},
    {"fgmres", "flexible GMRES (variable preconditioners)", xhi_stock_fgmres_create,
     HYPRE_ParCSRFlexGMRESDestroy, HYPRE_ParCSRFlexGMRESSetTol, HYPRE_ParCSRFlexGMRESSetMaxIter,
     HYPRE_ParCSRFlexGMRESSetKDim, HYPRE_ParCSRFlexGMRESSetLogging,
     HYPRE_ParCSRFlexGMRESSetPrintLevel, NULL,
     HYPRE_ParCSRFlexGMRESSetPrecond, HYPRE_ParCSRFlexGMRESSetup, HYPRE_ParCSRFlexGMRESSolve,
     HYPRE_ParCSRFlexGMRESGetNumIterations, HYPRE_ParCSRFlexGMRESGetFinalRelativeResidualNorm,
     xhi_fgmres_norms, xhi_fgmres_before_setup, 0, xhi_fgmres_view},
    {"cogmres", "GMRES with classical Gram-Schmidt (HYPRE's COGMRES: fused multi-vector products)",
     xhi_stock_cogmres_create, HYPRE_ParCSRCOGMRESDestroy, HYPRE_ParCSRCOGMRESSetTol,
     HYPRE_ParCSRCOGMRESSetMaxIter, HYPRE_ParCSRCOGMRESSetKDim, HYPRE_ParCSRCOGMRESSetLogging,
     HYPRE_ParCSRCOGMRESSetPrintLevel, xhi_cogmres_refine, HYPRE_ParCSRCOGMRESSetPrecond,
     HYPRE_ParCSRCOGMRESSetup, HYPRE_ParCSRCOGMRESSolve, HYPRE_ParCSRCOGMRESGetNumIterations,
     HYPRE_ParCSRCOGMRESGetFinalRelativeResidualNorm, xhi_cogmres_norms,
     xhi_cogmres_before_setup, 0, xhi_cogmres_view},
    {"pcg", "conjugate gradients (SPD matrix and preconditioner)", xhi_stock_pcg_create,
     HYPRE_ParCSRPCGDestroy, HYPRE_ParCSRPCGSetTol, HYPRE_ParCSRPCGSetMaxIter, NULL,
     HYPRE_ParCSRPCGSetLogging, NULL, xhi_pcg_two_norm, HYPRE_ParCSRPCGSetPrecond, HYPRE_ParCSRPCGSetup,
     HYPRE_ParCSRPCGSolve, HYPRE_ParCSRPCGGetNumIterations,
     HYPRE_ParCSRPCGGetFinalRelativeResidualNorm, xhi_pcg_norms,
     xhi_pcg_before_setup, 0, xhi_pcg_view},
    {"bicgstab", "BiCGSTAB", xhi_stock_bicgstab_create, HYPRE_ParCSRBiCGSTABDestroy,
     HYPRE_ParCSRBiCGSTABSetTol, HYPRE_ParCSRBiCGSTABSetMaxIter, NULL,
     HYPRE_ParCSRBiCGSTABSetLogging, NULL, NULL, HYPRE_ParCSRBiCGSTABSetPrecond,
     HYPRE_ParCSRBiCGSTABSetup, HYPRE_ParCSRBiCGSTABSolve, HYPRE_ParCSRBiCGSTABGetNumIterations,
     HYPRE_ParCSRBiCGSTABGetFinalRelativeResidualNorm, xhi_bicgstab_norms,
     xhi_bicgstab_before_setup, 2, xhi_bicgstab_view},
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
