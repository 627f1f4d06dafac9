/* solvers/mode_fp64.c — the fp64 solve mode: HYPRE's stock ParCSR Krylov methods, called
 * exactly as a HYPRE user would (the baseline every other mode is measured against), with any
 * registry preconditioner through HYPRE's *SetPrecond: HYPRE's own handed over unchanged,
 * xhypre's through callbacks.  Logging is on so the residual history is available; it does not change the iterates.
 * With -kernels xhypre the same HYPRE method runs through its function table over xhypre's FP64
 * vector kernels instead (solvers/mode_tables.c).
 */
#include <math.h>
#include <string.h>

#include "private/xhi_krylov.h"

/* The preconditioner as HYPRE gets it: the same functions, called through a counter (for the
 * iterations counted from its applications, xhi_krylov_ops.precond_per_iteration) and a timer
 * (PCApply); HYPRE's default identity when there is none, so that PCApply counts it too. */
typedef struct xhi_counted_pc {
    HYPRE_PtrToParSolverFcn solve, setup; /* NULL solve: the identity, as HYPRE's default */
    HYPRE_Solver object;
    long calls;
} xhi_counted_pc;

typedef struct xhi_fp64_data {
    const xhi_krylov_ops *krylov_ops;
    HYPRE_Solver krylov;
    /* the solve-time options HYPRE's method holds (set when limits_set) */
    double tol;
    int maxit, keep_norms, limits_set;
    xhi_parvector b, x;
    xhi_counted_pc counted;
} xhi_fp64_data;

static HYPRE_Int xhi_counted_solve(HYPRE_Solver data, HYPRE_ParCSRMatrix A, HYPRE_ParVector b,
                                   HYPRE_ParVector x)
{
    xhi_counted_pc *c = (xhi_counted_pc *)data;
    c->calls++;
    XHI_LOG_RETURN(XHI_EV_PCAPPLY, HYPRE_Int,
                   c->solve ? c->solve(c->object, A, b, x) : HYPRE_ParVectorCopy(b, x));
}

static HYPRE_Int xhi_counted_setup(HYPRE_Solver data, HYPRE_ParCSRMatrix A, HYPRE_ParVector b,
                                   HYPRE_ParVector x)
{
    xhi_counted_pc *c = (xhi_counted_pc *)data;
    return c->setup ? c->setup(c->object, A, b, x) : 0;
}

static void xhi_fp64_destroy(xh_solver *S)
{
    xhi_fp64_data *d = S->mode_data;
    if (!d) return;
    if (d->krylov) d->krylov_ops->destroy(d->krylov);
    xhi_parvector_destroy(&d->b);
    xhi_parvector_destroy(&d->x);
    xhi_free(d);
    S->mode_data = NULL;
}

/* -tol, -maxit and the residual log (-history, -monitor) are read by each solve: they go to
 * HYPRE's method before the first solve and any solve that changes them, with its setup run
 * again, as HYPRE sizes the log to maxit + 1 norms there (once before_setup dropped the old log:
 * some methods allocate one only when there is none).  That setup keeps its vectors, and the
 * preconditioner's setup function it calls does nothing (xhi_precond_hypre). */
static xh_status xhi_fp64_solve_options(xh_solver *S, xhi_fp64_data *d)
{
    xh_status st = XH_OK;
    const xh_options *o = &S->opt;
    const xhi_krylov_ops *k = d->krylov_ops;
    int keep = o->history || o->monitor;
    if (d->limits_set && o->tol == d->tol && o->maxit == d->maxit && keep == d->keep_norms)
        goto cleanup;
    XH_CALL_HYPRE(k->set_tol(d->krylov, o->tol));
    XH_CALL_HYPRE(k->set_maxit(d->krylov, o->maxit));
    if (k->set_print_level) XH_CALL_HYPRE(k->set_print_level(d->krylov, keep));
    k->before_setup(d->krylov); /* else the log keeps an earlier maxit: xhi_krylov.h */
    XH_CALL_HYPRE(k->setup(d->krylov, S->A->par, d->b.par, d->x.par));
    d->tol = o->tol;
    d->maxit = o->maxit;
    d->keep_norms = keep;
    d->limits_set = 1;
cleanup:
    return st;
}

static xh_status xhi_fp64_setup(xh_solver *S)
{
    xh_status st = XH_OK;
    xhi_fp64_data *d = NULL;
    const xh_options *o = &S->opt;
    XH_CALL(XHI_CALLOC(&d, 1, "fp64 solver data"));
    S->mode_data = d;
    d->krylov_ops = xhi_krylov_find(o->solver);
    XH_CHECK(d->krylov_ops, XH_ERR_ARG, "unknown solver '%s'", o->solver);
    const xhi_krylov_ops *k = d->krylov_ops;
    XH_CALL_HYPRE(k->create(S->comm, &d->krylov));
    if (k->set_kdim) XH_CALL_HYPRE(k->set_kdim(d->krylov, o->restart));
    XH_CALL_HYPRE(k->set_logging(d->krylov, 1));
    if (k->configure) XH_CALL(k->configure(d->krylov, o));
    HYPRE_PtrToParSolverFcn pc_solve, pc_setup;
    HYPRE_Solver pc_object;
    xhi_precond_hypre(S->pc, &pc_solve, &pc_setup, &pc_object);
    d->counted = (xhi_counted_pc){pc_solve, pc_setup, pc_object, 0};
    XH_CALL_HYPRE(k->set_precond(d->krylov, (HYPRE_PtrToParSolverFcn)xhi_counted_solve,
                                 (HYPRE_PtrToParSolverFcn)xhi_counted_setup,
                                 (HYPRE_Solver)&d->counted));
    XH_CALL(xhi_parvector_create(S->A, &d->b));
    XH_CALL(xhi_parvector_create(S->A, &d->x));
    XH_CALL(xhi_fp64_solve_options(S, d));
cleanup:
    return st;
}

static xh_status xhi_fp64_solve(xh_solver *S, const double *b, double *x, xhi_solve_result *res)
{
    xh_status st = XH_OK;
    xhi_fp64_data *d = S->mode_data;
    const xhi_krylov_ops *k = d->krylov_ops;
    HYPRE_Int iterations = 0, err;
    HYPRE_Real relres = 0;
    size_t bytes = (size_t)d->b.n * sizeof(double);
    XH_CALL(xhi_fp64_solve_options(S, d));
    if (bytes) {
        memcpy(d->b.data, b, bytes);
        memcpy(d->x.data, x, bytes);
    }
    S->pc->failure = XH_OK;
    d->counted.calls = 0;
    err = k->solve(d->krylov, S->A->par, d->b.par, d->x.par);
    /* Not converging, or breaking down (HYPRE's generic error from a Krylov solve), is an
     * outcome, not an error: the core reports it together with the true residual. */
    HYPRE_ClearAllErrors();
    if (S->pc->failure < 0) {
        st = S->pc->failure; /* its message is already set */
        goto cleanup;
    }
    res->breakdown = (err & ~HYPRE_ERROR_CONV) != 0;
    XH_CALL_HYPRE(k->get_iterations(d->krylov, &iterations));
    if (res->breakdown)
        iterations = xhi_breakdown_iterations(iterations, d->counted.calls,
                                              k->precond_per_iteration);
    XH_CALL_HYPRE(k->get_final_relres(d->krylov, &relres));
    if (bytes) memcpy(x, d->x.data, bytes);
    HYPRE_Real bb = 0;
    XH_CALL_HYPRE(HYPRE_ParVectorInnerProd(d->b.par, d->b.par, &bb));
    XH_CALL(xhi_result_from_krylov(res, iterations, relres, k->residual_norms(d->krylov),
                                   sqrt(bb)));
    snprintf(res->kernels, sizeof res->kernels, "hypre");
    snprintf(res->matvec, sizeof res->matvec, "hypre");
cleanup:
    return st;
}

/* -view: the HYPRE object setup made; before setup, the settings these options give one (the
 * function-table driver gives HYPRE the same, xhi_generic_view). */
static xh_status xhi_fp64_view_solver(const xh_solver *S, FILE *out)
{
    const xhi_fp64_data *d = S->mode_data;
    xhi_view_printf(out, "  driver: HYPRE's ParCSR interface (HYPRE_ParCSR* calls), on HYPRE's "
                         "vectors and matvec\n");
    if (!d) return xhi_generic_view(NULL, S->opt.solver, &S->opt, 1, 0, out);
    d->krylov_ops->view(d->krylov, 1, out);
    return XH_OK;
}

static xh_status xhi_fp64_view(const xh_solver *S, FILE *out)
{
    xhi_view_printf(out, "  kernels: hypre (HYPRE's ParVector operations), matvec: hypre (HYPRE's "
                         "ParCSR product)\n");
    if (S->mode_data && !xhi_precond_is_identity(S->pc))
        xhi_view_printf(out, "  preconditioner handed to HYPRE's *SetPrecond: %s\n",
                        S->pc->type->hypre_native ? "HYPRE's own solve and object, unchanged"
                                                  : "xhypre's apply, through callbacks");
    return XH_OK;
}

static const xhi_mode_ops xhi_mode_fp64_stock = {
    "fp64", "HYPRE's ParCSR Krylov methods in FP64 (the baseline)", NULL, xhi_fp64_setup,
    xhi_fp64_solve, xhi_fp64_destroy, xhi_fp64_view_solver, xhi_fp64_view};

extern const xhi_mode_ops xhi_mode_fp64_tables;

/* -kernels: who supplies the vector operations of the fp64 mode. */
static const struct {
    const char *name;
    const xhi_mode_ops *impl;
} xhi_fp64_kernels[] = {{"hypre", &xhi_mode_fp64_stock}, {"xhypre", &xhi_mode_fp64_tables}};
#define XHI_NKERNELS (int)(sizeof xhi_fp64_kernels / sizeof xhi_fp64_kernels[0])

const char *xhi_kernels_name(int i)
{
    return i >= 0 && i < XHI_NKERNELS ? xhi_fp64_kernels[i].name : NULL;
}

static const xhi_mode_ops *xhi_fp64_resolve(const xh_options *opt)
{
    for (int i = 0; i < XHI_NKERNELS; i++)
        if (strcmp(xhi_fp64_kernels[i].name, opt->kernels) == 0) return xhi_fp64_kernels[i].impl;
    return NULL;
}

const xhi_mode_ops xhi_mode_fp64 = {
    "fp64", "HYPRE's ParCSR Krylov methods in FP64 (the baseline; -kernels xhypre: over xhypre's "
    "vector kernels)", xhi_fp64_resolve, NULL, NULL, NULL, NULL, NULL};
