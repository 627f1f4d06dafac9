/* solvers/krylov_generic.c — HYPRE's Krylov methods over xhypre's vectors, operator and
 * preconditioner, through HYPRE's function tables (krylov.h).
 *
 * HYPRE calls the table with opaque pointers: vectors are xhi_vector, the "matrix" is an
 * xhi_operator, the preconditioner data an xhi_pc.  Each method gets a table of its own (HYPRE's
 * destroy frees it).  The callbacks cannot return errors to the caller (HYPRE ignores them), so
 * they record the first failure in the shared xhi_krylov_ctx.
 *
 * Pending operations (xhi_krylov.h): ClearVector and ScaleVector only record what the vector
 * lacks; every callback settles the vectors it reads first, and one that overwrites a vector
 * drops its pending zero: the zeroing HYPRE does before each preconditioner application costs
 * nothing when the preconditioner overwrites its output (xhypre's own ones), and PCG's
 * "p = beta p; p += s" is one pass (axpby).  The results are those of the eager operations, bit
 * for bit; the solution is settled before xhi_generic_solve returns.
 *
 * COGMRES re-orthogonalization (-cogmres_refine ifneeded | always).  HYPRE's COGMRES with CGS1
 * computes h = P'w (MassInnerProd), then w = w - P h (MassAxpy, alpha = -h, which HYPRE 2.26 passes
 * as a pointer to its Hessenberg column and negates back afterwards), then normalizes w.  The
 * MassAxpy callback here adds the second classical Gram-Schmidt pass of Giraud, Langou &
 * Rozložník ("twice is enough"): c = P'w, w = w - P c, and alpha = alpha - c, so that HYPRE's
 * Hessenberg column becomes h + c, exactly as in CGS2.  With ifneeded the second pass runs only
 * when the first cancelled more than half of ||w||^2 (||w - P h||^2 = ||w||^2 - ||h||^2 < ||w||^2/2,
 * the criterion of Daniel, Gragg, Kaufman & Stewart as PETSc's refine_ifneeded applies it), w'w
 * coming from the MassInnerProd pass itself (the same reduction).  Measured on the shared
 * matrices (README, bench/bench_orth.c): HYPRE's CGS1 and CGS2 both lose orthogonality and
 * iterations on some of them, ifneeded and always do not.
 */
#include <math.h>
#include <string.h>

#include <krylov.h>

#include "private/xhi_krylov.h"
#include "private/xhi_mvec.h"

struct xhi_generic_krylov {
    const struct xhi_generic_method *method;
    void *solver;
    xhi_refine refine; /* COGMRES: the callbacks' second Gram-Schmidt pass */
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

/* v is overwritten next: a pending operation on it no longer matters. */
static void xhi_overwritten(xhi_vector *v) { v->pending = XHI_PENDING_NONE; }

/* The basis vectors of a mass operation, settled. */
static void xhi_settle_all(void **p, HYPRE_Int k)
{
    for (HYPRE_Int j = 0; j < k; j++) xhi_vector_settle(p[j]);
}

static HYPRE_Int xhi_cb_matvec(void *data, HYPRE_Complex alpha, void *A, void *x,
                               HYPRE_Complex beta, void *y)
{
    const xhi_operator *op = A;
    (void)data;
    xhi_log_mark mark = xhi_log_begin();
    xhi_vector_settle(x);
    if (beta == 0.0) xhi_overwritten(y); /* the operators do not read y then */
    else xhi_vector_settle(y);
    xhi_krylov_note(op->ctx, op->apply(op, alpha, x, beta, y));
    xhi_log_end(XHI_EV_MATMULT, mark);
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
    xhi_log_mark mark = xhi_log_begin();
    xhi_vector_settle(x);
    xhi_vector_settle(y);
    double d = vx->kind->dot(vx, y);
    if (!isfinite(d)) vx->ctx->nonfinite = 1;
    xhi_log_end(XHI_EV_VECDOT, mark);
    return d;
}

static HYPRE_Int xhi_cb_mass_inner_prod(void *x, void **p, HYPRE_Int k, HYPRE_Int unroll,
                                         void *result)
{
    const xhi_vector *vx = x;
    xhi_krylov_ctx *ctx = vx->ctx;
    (void)unroll; /* HYPRE's unrolling switch: xhypre's kernels are blocked anyway */
    xhi_log_mark mark = xhi_log_begin();
    xhi_vector_settle(x);
    xhi_settle_all(p, k);
    vx->kind->mdot(vx, NULL, (xhi_vector *const *)p, k, result, NULL,
                   ctx->refine == XHI_REFINE_IFNEEDED ? &ctx->w_norm2 : NULL);
    xhi_log_end(XHI_EV_VECDOT, mark);
    return 0;
}

static HYPRE_Int xhi_cb_mass_dotp_two(void *x, void *y, void **p, HYPRE_Int k, HYPRE_Int unroll,
                                      void *result_x, void *result_y)
{
    const xhi_vector *vx = x;
    (void)unroll;
    xhi_log_mark mark = xhi_log_begin();
    xhi_vector_settle(x);
    xhi_vector_settle(y);
    xhi_settle_all(p, k);
    vx->kind->mdot(vx, y, (xhi_vector *const *)p, k, result_x, result_y, NULL);
    xhi_log_end(XHI_EV_VECDOT, mark);
    return 0;
}

/* y = x; untimed, for the callbacks that time it as theirs. */
static void xhi_copy(xhi_vector *x, xhi_vector *y)
{
    xhi_vector_settle(x);
    if (x == y) return;
    xhi_overwritten(y);
    xhi_krylov_note(x->ctx, xhi_mvec_copy((size_t)x->ctx->n, x->kind->elem_size, x->data,
                                          y->data));
}

static HYPRE_Int xhi_cb_copy(void *x, void *y)
{
    xhi_log_mark mark = xhi_log_begin();
    xhi_copy(x, y);
    xhi_log_end(XHI_EV_VECAXPY, mark);
    return 0;
}

static HYPRE_Int xhi_cb_clear(void *x)
{
    xhi_vector *v = x;
    v->pending = XHI_PENDING_ZERO;
    return 0;
}

static HYPRE_Int xhi_cb_scale(HYPRE_Complex alpha, void *x)
{
    xhi_vector *v = x;
    /* 0 stays 0 under a finite factor; two factors are applied one after the other */
    if (v->pending == XHI_PENDING_ZERO && isfinite(alpha)) return 0;
    xhi_vector_settle(v);
    v->pending = XHI_PENDING_SCALE;
    v->pending_scale = alpha;
    return 0;
}

static HYPRE_Int xhi_cb_axpy(HYPRE_Complex alpha, void *x, void *y)
{
    xhi_vector *vy = y;
    xhi_log_mark mark = xhi_log_begin();
    xhi_vector_settle(x);
    if (vy->pending == XHI_PENDING_SCALE) {
        vy->pending = XHI_PENDING_NONE;
        vy->kind->axpby(alpha, x, vy->pending_scale, vy);
    } else {
        xhi_vector_settle(vy);
        vy->kind->axpy(alpha, x, vy);
    }
    xhi_log_end(XHI_EV_VECAXPY, mark);
    return 0;
}

/* The second Gram-Schmidt pass: c = P'w, w = w - P c, alpha = alpha - c (a chunk at a time). */
static void xhi_second_pass(HYPRE_Complex *alpha, xhi_vector *const *p, int k, xhi_vector *w)
{
    double c[XHI_MASS_CHUNK], minus_c[XHI_MASS_CHUNK];
    for (int j0 = 0; j0 < k; j0 += XHI_MASS_CHUNK) {
        int kc = k - j0 < XHI_MASS_CHUNK ? k - j0 : XHI_MASS_CHUNK;
        xhi_log_mark mark = xhi_log_begin();
        w->kind->mdot(w, NULL, p + j0, kc, c, NULL, NULL);
        xhi_log_end(XHI_EV_VECDOT, mark);
        for (int j = 0; j < kc; j++) {
            minus_c[j] = -c[j];
            alpha[j0 + j] -= c[j];
        }
        w->kind->maxpy(minus_c, p + j0, kc, w); /* timed by the mass axpy around it */
    }
}

static HYPRE_Int xhi_cb_mass_axpy(HYPRE_Complex *alpha, void **x, void *y, HYPRE_Int k,
                                  HYPRE_Int unroll)
{
    xhi_vector *w = y, *const *p = (xhi_vector *const *)x;
    xhi_krylov_ctx *ctx = w->ctx;
    (void)unroll;
    xhi_log_mark mark = xhi_log_begin();
    xhi_vector_settle(w);
    xhi_settle_all(x, k);
    w->kind->maxpy(alpha, p, k, w);
    if (ctx->refine != XHI_REFINE_NONE) {
        ctx->orth_steps++;
        double h2 = 0;
        for (HYPRE_Int j = 0; j < k; j++) h2 += alpha[j] * alpha[j];
        if (ctx->refine == XHI_REFINE_ALWAYS || !(ctx->w_norm2 - h2 >= 0.5 * ctx->w_norm2)) {
            ctx->orth_second_passes++;
            xhi_second_pass(alpha, p, k, w);
        }
    }
    xhi_log_end(XHI_EV_VECAXPY, mark);
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
    xhi_log_mark mark = xhi_log_begin();
    op->ctx->precond_calls++;
    if (!pc || !pc->apply) {
        xhi_copy(b, x);
    } else {
        xhi_vector_settle(b);
        xhi_overwritten(x);
        xhi_krylov_note(op->ctx, pc->apply(pc, b, x));
    }
    xhi_log_end(XHI_EV_PCAPPLY, mark);
    return 0;
}

static xh_status xhi_pc_apply64(const xhi_pc *pc, const xhi_vector *b, xhi_vector *x)
{
    return xhi_precond_apply64(pc->data, b->data, x->data);
}

void xhi_pc_fp64(xhi_precond *P, xhi_pc *pc)
{
    pc->data = P;
    pc->apply = xhi_precond_is_identity(P) ? NULL : xhi_pc_apply64;
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

/* The basis vectors p[0 .. k_dim] of HYPRE's GMRES and COGMRES data (krylov.h). */
static xhi_vector *const *xhi_gmres_basis(const void *solver, int *count)
{
    const hypre_GMRESData *g = solver;
    *count = g->p ? g->k_dim + 1 : 0;
    return (xhi_vector *const *)g->p;
}

static xhi_vector *const *xhi_cogmres_basis(const void *solver, int *count)
{
    const hypre_COGMRESData *g = solver;
    *count = g->p ? g->k_dim + 1 : 0;
    return (xhi_vector *const *)g->p;
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

/* -cogmres_refine: HYPRE's setting, the second pass of the callbacks (xhi_cb_mass_axpy). */
static const xhi_refine_choice xhi_refine_choices[] = {
    {"auto", 1, XHI_REFINE_IFNEEDED, 1}, {"never", 1, XHI_REFINE_NONE, 1},
    {"hypre", 2, XHI_REFINE_NONE, 1},    {"ifneeded", 1, XHI_REFINE_IFNEEDED, 0},
    {"always", 1, XHI_REFINE_ALWAYS, 0},
};
#define XHI_NREFINE (int)(sizeof xhi_refine_choices / sizeof xhi_refine_choices[0])

const xhi_refine_choice *xhi_refine_find(const char *name)
{
    for (int i = 0; name && i < XHI_NREFINE; i++)
        if (strcmp(xhi_refine_choices[i].name, name) == 0) return &xhi_refine_choices[i];
    return NULL;
}

const char *xhi_refine_name(int i) { return i >= 0 && i < XHI_NREFINE ? xhi_refine_choices[i].name : NULL; }

static xh_status xhi_cogmres_configure(xhi_generic_krylov *K, const xh_options *opt)
{
    xh_status st = XH_OK;
    const xhi_refine_choice *r = xhi_refine_find(opt->cogmres_refine);
    XH_CHECK(r != NULL, XH_ERR_ARG, "unknown -cogmres_refine '%s'", opt->cogmres_refine);
    XH_CALL_HYPRE(HYPRE_COGMRESSetCGS((HYPRE_Solver)K->solver, r->hypre_cgs));
    K->refine = r->xhypre_pass;
cleanup:
    return st;
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
static xh_status xhi_pcg_configure(xhi_generic_krylov *K, const xh_options *opt)
{
    xh_status st = XH_OK;
    (void)opt;
    XH_CALL_HYPRE(HYPRE_PCGSetTwoNorm((HYPRE_Solver)K->solver, 1));
cleanup:
    return st;
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
    void (*before_setup)(HYPRE_Solver); /* as xhi_krylov_ops */
    xh_status (*configure)(xhi_generic_krylov *K, const xh_options *opt); /* may be NULL */
    xhi_vector *const *(*basis)(const void *solver, int *count); /* GMRES family; else NULL */
    int precond_per_iteration; /* as xhi_krylov_ops (xhi_solver.h) */
    void (*view)(HYPRE_Solver, int limits, FILE *out); /* as xhi_krylov_ops */
} xhi_generic_method;

static const xhi_generic_method xhi_generic_table[] = {
    {"gmres", xhi_gmres_create, hypre_GMRESDestroy, HYPRE_GMRESSetTol, HYPRE_GMRESSetMaxIter,
     HYPRE_GMRESSetKDim, HYPRE_GMRESSetLogging, HYPRE_GMRESSetPrintLevel, HYPRE_GMRESSetPrecond,
     HYPRE_GMRESSetup,
     HYPRE_GMRESSolve, HYPRE_GMRESGetNumIterations, HYPRE_GMRESGetFinalRelativeResidualNorm,
     xhi_gmres_norms, xhi_gmres_before_setup, NULL, xhi_gmres_basis, 0, xhi_gmres_view},
    {"fgmres", xhi_fgmres_create, hypre_FlexGMRESDestroy, HYPRE_FlexGMRESSetTol,
     HYPRE_FlexGMRESSetMaxIter, HYPRE_FlexGMRESSetKDim, HYPRE_FlexGMRESSetLogging,
     HYPRE_FlexGMRESSetPrintLevel, HYPRE_FlexGMRESSetPrecond, HYPRE_FlexGMRESSetup, HYPRE_FlexGMRESSolve,
     HYPRE_FlexGMRESGetNumIterations, HYPRE_FlexGMRESGetFinalRelativeResidualNorm,
     xhi_fgmres_norms, xhi_fgmres_before_setup, NULL, NULL, 0, xhi_fgmres_view},
    {"cogmres", xhi_cogmres_create, hypre_COGMRESDestroy, HYPRE_COGMRESSetTol,
     HYPRE_COGMRESSetMaxIter, HYPRE_COGMRESSetKDim, HYPRE_COGMRESSetLogging,
     HYPRE_COGMRESSetPrintLevel, HYPRE_COGMRESSetPrecond, HYPRE_COGMRESSetup, HYPRE_COGMRESSolve,
     HYPRE_COGMRESGetNumIterations, HYPRE_COGMRESGetFinalRelativeResidualNorm, xhi_cogmres_norms,
     xhi_cogmres_before_setup,
     xhi_cogmres_configure, xhi_cogmres_basis, 0, xhi_cogmres_view},
    {"pcg", xhi_pcg_create, hypre_PCGDestroy, HYPRE_PCGSetTol, HYPRE_PCGSetMaxIter, NULL,
     HYPRE_PCGSetLogging, NULL, HYPRE_PCGSetPrecond, HYPRE_PCGSetup, HYPRE_PCGSolve,
     HYPRE_PCGGetNumIterations, HYPRE_PCGGetFinalRelativeResidualNorm, xhi_pcg_norms,
     xhi_pcg_before_setup,
     xhi_pcg_configure, NULL, 0, xhi_pcg_view},
    {"bicgstab", xhi_bicgstab_create, hypre_BiCGSTABDestroy, HYPRE_BiCGSTABSetTol,
     HYPRE_BiCGSTABSetMaxIter, NULL, HYPRE_BiCGSTABSetLogging, NULL, HYPRE_BiCGSTABSetPrecond,
     HYPRE_BiCGSTABSetup, HYPRE_BiCGSTABSolve, HYPRE_BiCGSTABGetNumIterations,
     HYPRE_BiCGSTABGetFinalRelativeResidualNorm, xhi_bicgstab_norms,
     xhi_bicgstab_before_setup, NULL, NULL, 2,
     xhi_bicgstab_view},
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
    if (m->set_kdim) XH_CALL_HYPRE(m->set_kdim(s, opt->restart));
    XH_CALL_HYPRE(m->set_logging(s, 1));
    XH_CALL(xhi_generic_set_solve_options(k, opt));
    if (m->configure) XH_CALL(m->configure(k, opt));
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

xh_status xhi_generic_set_solve_options(xhi_generic_krylov *K, const xh_options *opt)
{
    xh_status st = XH_OK;
    XH_CALL(xhi_generic_set_limits(K, opt->tol, opt->maxit));
    if (K->method->set_print_level)
        XH_CALL_HYPRE(K->method->set_print_level((HYPRE_Solver)K->solver,
                                                 opt->history || opt->monitor));
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
    ctx->refine = K->refine;
    ctx->orth_steps = ctx->orth_second_passes = 0;
    ctx->precond_calls = 0;
    XH_CALL_HYPRE(m->set_precond(s, (HYPRE_PtrToSolverFcn)xhi_cb_precond,
                                 (HYPRE_PtrToSolverFcn)xhi_cb_precond_setup, (HYPRE_Solver)pc));
    m->before_setup(s); /* else FlexGMRES leaks its vectors, and the log keeps an older maxit */
    XH_CALL_HYPRE(m->setup(s, (HYPRE_Matrix)op, (HYPRE_Vector)b, (HYPRE_Vector)x));
    /* HYPRE's setup creates the work vectors through xhypre's callbacks and does not check
     * them: a failed one must stop every rank before the solve uses it. */
    st = xhi_error_agree(ctx->comm, ctx->failure);
    if (st < 0) goto cleanup; /* the message of the failed vector operation stands */
    HYPRE_Int err = m->solve(s, (HYPRE_Matrix)op, (HYPRE_Vector)b, (HYPRE_Vector)x);
    HYPRE_ClearAllErrors();
    xhi_vector_settle(x);
    res->breakdown = (err & ~HYPRE_ERROR_CONV) != 0; /* an outcome, as in the fp64 mode */
    /* the failed operation's message stands (formatting it into itself would garble it) */
    if (ctx->failure < 0) {
        st = ctx->failure;
        goto cleanup;
    }
    XH_CALL_HYPRE(m->get_iterations(s, &iterations));
    if (res->breakdown)
        iterations = xhi_breakdown_iterations(iterations, ctx->precond_calls,
                                              m->precond_per_iteration);
    XH_CALL_HYPRE(m->get_final_relres(s, &relres));
    XH_CALL(xhi_result_from_krylov(res, iterations, relres, m->residual_norms(s),
                                   sqrt(b->kind->dot(b, b))));
cleanup:
    return st;
}

xhi_vector *const *xhi_generic_basis(const xhi_generic_krylov *K, int *count)
{
    *count = 0;
    return K->method->basis ? K->method->basis(K->solver, count) : NULL;
}

xh_status xhi_generic_view(const xhi_generic_krylov *K, const char *method, const xh_options *opt,
                           int limits, int passes, FILE *out)
{
    xh_status st = XH_OK;
    xhi_generic_krylov *made = NULL;
    if (!K) {
        XH_CALL(xhi_generic_create(method, opt, &made));
        K = made;
    }
    K->method->view((HYPRE_Solver)K->solver, limits, out);
    if (passes && K->refine != XHI_REFINE_NONE)
        xhi_view_printf(out,
                        "  xhypre's callbacks add a second classical Gram-Schmidt pass %s "
                        "(-cogmres_refine %s)\n",
                        K->refine == XHI_REFINE_ALWAYS
                            ? "at every step"
                            : "when the first cancelled more than half of ||w||^2",
                        opt->cogmres_refine);
cleanup:
    xhi_generic_destroy(&made);
    return st;
}

void xhi_generic_destroy(xhi_generic_krylov **K)
{
    if (!K || !*K) return;
    if ((*K)->solver) (*K)->method->destroy((*K)->solver);
    xhi_free(*K);
    *K = NULL;
}
