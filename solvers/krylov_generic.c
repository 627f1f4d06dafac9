/* solvers/krylov_generic.c — HYPRE's Krylov methods over xhypre's vectors, operator and
 * preconditioner, through HYPRE's function tables (krylov.h).
 *
 * HYPRE calls the table with opaque pointers: vectors are xhi_vector, the "matrix" is an
 * xhi_operator, the preconditioner data an xhi_pc.  Each method gets a table of its own (HYPRE's
 * destroy frees it).  The callbacks cannot return errors to the caller (HYPRE ignores them), so
 * they record the first failure in the shared xhi_krylov_ctx.
 */
#include <math.h>
#include <string.h>

#include <krylov.h>

#include "private/xhi_krylov.h"
#include "private/xhi_mvec.h"

struct xhi_generic_krylov {
    const struct xhi_generic_method *method;
    void *solver;
};

/* ---- callbacks ---------------------------------------------------------------------------- */

static void *xhi_cb_calloc(size_t count, size_t size, HYPRE_MemoryLocation location)
{
    return hypre_CAlloc(count, size, location);
}

static HYPRE_Int xhi_cb_free(void *p)
{
    hypre_Free(p, HYPRE_MEMORY_HOST);
    return 0;
}

static HYPRE_Int xhi_cb_comm_info(void *A, HYPRE_Int *my_id, HYPRE_Int *num_procs)
{
    const xhi_operator *op = A;
    int rank, size;
    MPI_Comm_rank(op->ctx->comm, &rank);
    MPI_Comm_size(op->ctx->comm, &size);
    *my_id = rank;
    *num_procs = size;
    return 0;
}

static void *xhi_cb_create_vector(void *like)
{
    const xhi_vector *v = like;
    xhi_vector *out = NULL;
    xhi_krylov_note(v->ctx, xhi_vector_create(v->ctx, v->kind, &out));
    return out;
}

static HYPRE_Int xhi_cb_destroy_vector(void *v)
{
    xhi_vector *p = v;
    xhi_vector_destroy(&p);
    return 0;
}

static void *xhi_cb_create_vector_array(HYPRE_Int size, void *like)
{
    const xhi_vector *v = like;
    xhi_vector **array = hypre_CAlloc((size_t)size, sizeof *array, HYPRE_MEMORY_HOST);
    if (!array) {
        xhi_krylov_note(v->ctx, XH_ERR_MEMORY);
        return NULL;
    }
    for (HYPRE_Int i = 0; i < size; i++) array[i] = xhi_cb_create_vector(like);
    return array;
}

static void *xhi_cb_matvec_create(void *A, void *x)
{
    (void)x;
    return A;
}

static HYPRE_Int xhi_cb_matvec(void *data, HYPRE_Complex alpha, void *A, void *x,
                               HYPRE_Complex beta, void *y)
{
    const xhi_operator *op = A;
    (void)data;
    xhi_krylov_note(op->ctx, op->apply(op, alpha, x, beta, y));
    return 0;
}

static HYPRE_Int xhi_cb_matvec_destroy(void *data)
{
    (void)data;
    return 0;
}

static HYPRE_Real xhi_cb_inner_prod(void *x, void *y)
{
    const xhi_vector *vx = x;
    double d = vx->kind->dot(vx, y);
    if (!isfinite(d)) vx->ctx->nonfinite = 1;
    return d;
}

static HYPRE_Int xhi_cb_mass_inner_prod(void *x, void **p, HYPRE_Int k, HYPRE_Int unroll,
                                         void *result)
{
    const xhi_vector *vx = x;
    (void)unroll; /* HYPRE's unrolling switch: xhypre's kernels are blocked anyway */
    vx->kind->mdot(vx, NULL, (xhi_vector *const *)p, k, result, NULL);
    return 0;
}

static HYPRE_Int xhi_cb_mass_dotp_two(void *x, void *y, void **p, HYPRE_Int k, HYPRE_Int unroll,
                                      void *result_x, void *result_y)
{
    const xhi_vector *vx = x;
    (void)unroll;
    vx->kind->mdot(vx, y, (xhi_vector *const *)p, k, result_x, result_y);
    return 0;
}

static HYPRE_Int xhi_cb_copy(void *x, void *y)
{
    const xhi_vector *vx = x;
    xhi_vector *vy = y;
    xhi_krylov_note(vx->ctx, xhi_mvec_copy((size_t)vx->ctx->n, vx->kind->elem_size, vx->data,
                                           vy->data));
    return 0;
}

static HYPRE_Int xhi_cb_clear(void *x)
{
    xhi_vector *v = x;
    xhi_krylov_note(v->ctx, xhi_mvec_zero((size_t)v->ctx->n, v->kind->elem_size, v->data));
    return 0;
}

static HYPRE_Int xhi_cb_scale(HYPRE_Complex alpha, void *x)
{
    xhi_vector *v = x;
    v->kind->scale(alpha, v);
    return 0;
}

static HYPRE_Int xhi_cb_axpy(HYPRE_Complex alpha, void *x, void *y)
{
    xhi_vector *vy = y;
    vy->kind->axpy(alpha, x, vy);
    return 0;
}

static HYPRE_Int xhi_cb_mass_axpy(HYPRE_Complex *alpha, void **x, void *y, HYPRE_Int k,
                                  HYPRE_Int unroll)
{
    xhi_vector *vy = y;
    (void)unroll;
    vy->kind->maxpy(alpha, (xhi_vector *const *)x, k, vy);
    return 0;
}

static HYPRE_Int xhi_cb_precond_setup(void *data, void *A, void *b, void *x)
{
    (void)data;
    (void)A;
    (void)b;
    (void)x;
    return 0; /* xhypre sets its preconditioners up before the solve */
}

static HYPRE_Int xhi_cb_precond(void *data, void *A, void *b, void *x)
{
    const xhi_pc *pc = data;
    const xhi_operator *op = A;
    if (pc && pc->apply) xhi_krylov_note(op->ctx, pc->apply(pc, b, x));
    else xhi_cb_copy(b, x);
    return 0;
}

/* ---- methods ------------------------------------------------------------------------------ */

static void *xhi_gmres_create(void)
{
    return hypre_GMRESCreate(hypre_GMRESFunctionsCreate(
        xhi_cb_calloc, xhi_cb_free, xhi_cb_comm_info, xhi_cb_create_vector,
        xhi_cb_create_vector_array, xhi_cb_destroy_vector, xhi_cb_matvec_create, xhi_cb_matvec,
        xhi_cb_matvec_destroy, xhi_cb_inner_prod, xhi_cb_copy, xhi_cb_clear, xhi_cb_scale,
        xhi_cb_axpy, xhi_cb_precond_setup, xhi_cb_precond));
}

static void *xhi_fgmres_create(void)
{
    return hypre_FlexGMRESCreate(hypre_FlexGMRESFunctionsCreate(
        xhi_cb_calloc, xhi_cb_free, xhi_cb_comm_info, xhi_cb_create_vector,
        xhi_cb_create_vector_array, xhi_cb_destroy_vector, xhi_cb_matvec_create, xhi_cb_matvec,
        xhi_cb_matvec_destroy, xhi_cb_inner_prod, xhi_cb_copy, xhi_cb_clear, xhi_cb_scale,
        xhi_cb_axpy, xhi_cb_precond_setup, xhi_cb_precond));
}

static void *xhi_cogmres_create(void)
{
    return hypre_COGMRESCreate(hypre_COGMRESFunctionsCreate(
        xhi_cb_calloc, xhi_cb_free, xhi_cb_comm_info, xhi_cb_create_vector,
        xhi_cb_create_vector_array, xhi_cb_destroy_vector, xhi_cb_matvec_create, xhi_cb_matvec,
        xhi_cb_matvec_destroy, xhi_cb_inner_prod, xhi_cb_mass_inner_prod, xhi_cb_mass_dotp_two,
        xhi_cb_copy, xhi_cb_clear, xhi_cb_scale, xhi_cb_axpy, xhi_cb_mass_axpy,
        xhi_cb_precond_setup, xhi_cb_precond));
}

static HYPRE_Int xhi_cogmres_configure(HYPRE_Solver s, const xh_options *opt)
{
    return HYPRE_COGMRESSetCGS(s, opt->cogmres_cgs);
}

static void *xhi_pcg_create(void)
{
    return hypre_PCGCreate(hypre_PCGFunctionsCreate(
        xhi_cb_calloc, xhi_cb_free, xhi_cb_comm_info, xhi_cb_create_vector,
        xhi_cb_destroy_vector, xhi_cb_matvec_create, xhi_cb_matvec, xhi_cb_matvec_destroy,
        xhi_cb_inner_prod, xhi_cb_copy, xhi_cb_clear, xhi_cb_scale, xhi_cb_axpy,
        xhi_cb_precond_setup, xhi_cb_precond));
}

/* Stop on ||r||/||b|| like every other method (HYPRE's PCG default is the C-norm). */
static HYPRE_Int xhi_pcg_configure(HYPRE_Solver s, const xh_options *opt)
{
    (void)opt;
    return HYPRE_PCGSetTwoNorm(s, 1);
}

static void *xhi_bicgstab_create(void)
{
    return hypre_BiCGSTABCreate(hypre_BiCGSTABFunctionsCreate(
        xhi_cb_create_vector, xhi_cb_destroy_vector, xhi_cb_matvec_create, xhi_cb_matvec,
        xhi_cb_matvec_destroy, xhi_cb_inner_prod, xhi_cb_copy, xhi_cb_clear, xhi_cb_scale,
        xhi_cb_axpy, xhi_cb_comm_info, xhi_cb_precond_setup, xhi_cb_precond));
}

typedef struct xhi_generic_method {
    const char *name;
    void *(*create)(void);
    HYPRE_Int (*destroy)(void *solver);
    HYPRE_Int (*set_tol)(HYPRE_Solver, HYPRE_Real);
    HYPRE_Int (*set_maxit)(HYPRE_Solver, HYPRE_Int);
    HYPRE_Int (*set_kdim)(HYPRE_Solver, HYPRE_Int);
    HYPRE_Int (*set_logging)(HYPRE_Solver, HYPRE_Int);
    HYPRE_Int (*set_print_level)(HYPRE_Solver, HYPRE_Int); /* see xhi_krylov_ops */
    HYPRE_Int (*set_precond)(HYPRE_Solver, HYPRE_PtrToSolverFcn, HYPRE_PtrToSolverFcn,
                             HYPRE_Solver);
    HYPRE_Int (*setup)(HYPRE_Solver, HYPRE_Matrix, HYPRE_Vector, HYPRE_Vector);
    HYPRE_Int (*solve)(HYPRE_Solver, HYPRE_Matrix, HYPRE_Vector, HYPRE_Vector);
    HYPRE_Int (*get_iterations)(HYPRE_Solver, HYPRE_Int *);
    HYPRE_Int (*get_final_relres)(HYPRE_Solver, HYPRE_Real *);
    const HYPRE_Real *(*residual_norms)(HYPRE_Solver);
    HYPRE_Int (*configure)(HYPRE_Solver, const xh_options *); /* method-specific; may be NULL */
} xhi_generic_method;

static const xhi_generic_method xhi_generic_table[] = {
    {"gmres", xhi_gmres_create, hypre_GMRESDestroy, HYPRE_GMRESSetTol, HYPRE_GMRESSetMaxIter,
     HYPRE_GMRESSetKDim, HYPRE_GMRESSetLogging, HYPRE_GMRESSetPrintLevel, HYPRE_GMRESSetPrecond,
     HYPRE_GMRESSetup,
     HYPRE_GMRESSolve, HYPRE_GMRESGetNumIterations, HYPRE_GMRESGetFinalRelativeResidualNorm,
     xhi_gmres_norms, NULL},
    {"fgmres", xhi_fgmres_create, hypre_FlexGMRESDestroy, HYPRE_FlexGMRESSetTol,
     HYPRE_FlexGMRESSetMaxIter, HYPRE_FlexGMRESSetKDim, HYPRE_FlexGMRESSetLogging,
     HYPRE_FlexGMRESSetPrintLevel, HYPRE_FlexGMRESSetPrecond, HYPRE_FlexGMRESSetup, HYPRE_FlexGMRESSolve,
     HYPRE_FlexGMRESGetNumIterations, HYPRE_FlexGMRESGetFinalRelativeResidualNorm,
     xhi_fgmres_norms, NULL},
    {"cogmres", xhi_cogmres_create, hypre_COGMRESDestroy, HYPRE_COGMRESSetTol,
     HYPRE_COGMRESSetMaxIter, HYPRE_COGMRESSetKDim, HYPRE_COGMRESSetLogging,
     HYPRE_COGMRESSetPrintLevel, HYPRE_COGMRESSetPrecond, HYPRE_COGMRESSetup, HYPRE_COGMRESSolve,
     HYPRE_COGMRESGetNumIterations, HYPRE_COGMRESGetFinalRelativeResidualNorm, xhi_cogmres_norms,
     xhi_cogmres_configure},
    {"pcg", xhi_pcg_create, hypre_PCGDestroy, HYPRE_PCGSetTol, HYPRE_PCGSetMaxIter, NULL,
     HYPRE_PCGSetLogging, NULL, HYPRE_PCGSetPrecond, HYPRE_PCGSetup, HYPRE_PCGSolve,
     HYPRE_PCGGetNumIterations, HYPRE_PCGGetFinalRelativeResidualNorm, xhi_pcg_norms,
     xhi_pcg_configure},
    {"bicgstab", xhi_bicgstab_create, hypre_BiCGSTABDestroy, HYPRE_BiCGSTABSetTol,
     HYPRE_BiCGSTABSetMaxIter, NULL, HYPRE_BiCGSTABSetLogging, NULL, HYPRE_BiCGSTABSetPrecond,
     HYPRE_BiCGSTABSetup, HYPRE_BiCGSTABSolve, HYPRE_BiCGSTABGetNumIterations,
     HYPRE_BiCGSTABGetFinalRelativeResidualNorm, xhi_bicgstab_norms, NULL},
};

xh_status xhi_generic_create(const char *method, const xh_options *opt, xhi_generic_krylov **K)
{
    xh_status st = XH_OK;
    xhi_generic_krylov *k = NULL;
    const xhi_generic_method *m = NULL;
    for (size_t i = 0; i < sizeof xhi_generic_table / sizeof xhi_generic_table[0]; i++)
        if (strcmp(xhi_generic_table[i].name, method) == 0) m = &xhi_generic_table[i];
    XH_CHECK(m != NULL, XH_ERR_ARG, "unknown Krylov method '%s'", method);
    XH_CALL(XHI_CALLOC(&k, 1, "Krylov solver"));
    k->method = m;
    k->solver = m->create();
    XH_CHECK(k->solver != NULL, XH_ERR_MEMORY, "cannot create HYPRE's %s", method);
    HYPRE_Solver s = (HYPRE_Solver)k->solver;
    XH_CALL_HYPRE(m->set_tol(s, opt->tol));
    XH_CALL_HYPRE(m->set_maxit(s, opt->maxit));
    if (m->set_kdim) XH_CALL_HYPRE(m->set_kdim(s, opt->restart));
    XH_CALL_HYPRE(m->set_logging(s, 1));
    if (m->set_print_level && (opt->history || opt->monitor)) XH_CALL_HYPRE(m->set_print_level(s, 1));
    if (m->configure) XH_CALL_HYPRE(m->configure(s, opt));
cleanup:
    if (st < 0) xhi_generic_destroy(&k);
    *K = k;
    return st;
}

xh_status xhi_generic_set_limits(xhi_generic_krylov *K, double tol, int maxit)
{
    xh_status st = XH_OK;
    XH_CALL_HYPRE(K->method->set_tol((HYPRE_Solver)K->solver, tol));
    XH_CALL_HYPRE(K->method->set_maxit((HYPRE_Solver)K->solver, maxit));
cleanup:
    return st;
}

xh_status xhi_generic_solve(xhi_generic_krylov *K, xhi_operator *op, xhi_pc *pc, xhi_vector *b,
                            xhi_vector *x, xhi_solve_result *res)
{
    xh_status st = XH_OK;
    const xhi_generic_method *m = K->method;
    HYPRE_Solver s = (HYPRE_Solver)K->solver;
    HYPRE_Int iterations = 0;
    HYPRE_Real relres = 0;
    xhi_krylov_ctx *ctx = op->ctx;
    ctx->failure = XH_OK;
    ctx->nonfinite = 0;
    XH_CALL_HYPRE(m->set_precond(s, (HYPRE_PtrToSolverFcn)xhi_cb_precond,
                                 (HYPRE_PtrToSolverFcn)xhi_cb_precond_setup, (HYPRE_Solver)pc));
    XH_CALL_HYPRE(m->setup(s, (HYPRE_Matrix)op, (HYPRE_Vector)b, (HYPRE_Vector)x));
    HYPRE_Int err = m->solve(s, (HYPRE_Matrix)op, (HYPRE_Vector)b, (HYPRE_Vector)x);
    HYPRE_ClearAllErrors();
    res->breakdown = (err & ~HYPRE_ERROR_CONV) != 0; /* an outcome, as in the fp64 mode */
    XH_CHECK(ctx->failure == XH_OK, ctx->failure, "%s: a vector operation failed: %s", m->name,
             xh_error_message());
    XH_CALL_HYPRE(m->get_iterations(s, &iterations));
    XH_CALL_HYPRE(m->get_final_relres(s, &relres));
    XH_CALL(xhi_result_from_krylov(res, iterations, relres, m->residual_norms(s),
                                   sqrt(b->kind->dot(b, b))));
cleanup:
    return st;
}

void xhi_generic_destroy(xhi_generic_krylov **K)
{
    if (!K || !*K) return;
    if ((*K)->solver) (*K)->method->destroy((*K)->solver);
    xhi_free(*K);
    *K = NULL;
}
