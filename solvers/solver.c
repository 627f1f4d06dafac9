/* solvers/solver.c — the xh_solver object: life cycle, options, lazy setup (of only what a changed
 * option, matrix or matrix version made stale: xhi_stage, the matrix's serial and version, and
 * -reuse_preconditioner; the next solve reports what it did), and the checks every
 * solve gets whatever its mode: the true FP64 residual ||b - A x|| / ||b||, the outcome, timings
 * and the residual history.  The mode (-precision) does the actual solve through xhi_mode_ops.
 */
#include <math.h>
#include <string.h>

#include "private/xhi_eft.h"
#include "private/xhi_solver.h"

extern const xhi_mode_ops xhi_mode_fp64, xhi_mode_eft, xhi_mode_mixed, xhi_mode_mixed_eft,
    xhi_mode_auto;

static const xhi_mode_ops *const xhi_mode_table[] = {
    &xhi_mode_fp64, &xhi_mode_eft, &xhi_mode_mixed, &xhi_mode_mixed_eft, &xhi_mode_auto};
#define XHI_NMODES (int)(sizeof xhi_mode_table / sizeof xhi_mode_table[0])

/* A residual this many times ||b|| means the iteration blew up. */
#define XHI_DIVERGENCE_FACTOR 1e10

const xhi_mode_ops *xhi_mode_find(const char *name)
{
    for (int i = 0; name && i < XHI_NMODES; i++)
        if (strcmp(xhi_mode_table[i]->name, name) == 0) return xhi_mode_table[i];
    return NULL;
}

const char *xhi_mode_name(int i) { return i >= 0 && i < XHI_NMODES ? xhi_mode_table[i]->name : NULL; }

xh_status xhi_result_from_krylov(xhi_solve_result *res, int iterations, double relres,
                                 const HYPRE_Real *norms, double bnorm)
{
    xh_status st = XH_OK;
    res->iterations = iterations;
    res->solver_relres = relres;
    if (norms && bnorm > 0) {
        XH_CALL(XHI_ALLOC(&res->history, (size_t)iterations + 1, "residual history"));
        for (int i = 0; i <= iterations; i++) res->history[i] = norms[i] / bnorm;
        res->history_len = iterations + 1;
    }
cleanup:
    return st;
}

const char *xh_reason_name(xh_reason reason)
{
    switch (reason) {
    case XH_CONVERGED: return "converged";
    case XH_MAX_ITERATIONS: return "max_iterations";
    case XH_BREAKDOWN: return "breakdown";
    case XH_DIVERGED: return "diverged";
    }
    return "unknown";
}

xh_status xh_solver_create(MPI_Comm comm, xh_solver **S)
{
    xh_status st = XH_OK;
    xh_solver *s = NULL;
    XH_CHECK(S != NULL, XH_ERR_ARG, "xh_solver_create: S is NULL");
    *S = NULL;
    XH_CHECK(comm != MPI_COMM_NULL, XH_ERR_ARG, "xh_solver_create: comm is MPI_COMM_NULL");
    XH_CALL(XHI_CALLOC(&s, 1, "solver object"));
    s->comm = comm;
    XH_CALL(xh_options_default(&s->opt));
    *S = s;
cleanup:
    if (st < 0) xhi_free(s);
    return st;
}

const char *xh_setup_kind_name(xh_setup_kind kind)
{
    switch (kind) {
    case XH_SETUP_NONE: return "none";
    case XH_SETUP_MODE: return "mode";
    case XH_SETUP_NUMERIC: return "numeric";
    case XH_SETUP_FULL: return "full";
    }
    return "unknown";
}

/* Drops what is built from stage on: the mode from XHI_STAGE_MODE, the preconditioner (which
 * the mode holds) too from XHI_STAGE_PRECOND. */
static void xhi_solver_reset(xh_solver *S, xhi_stage stage)
{
    if (stage <= XHI_STAGE_MODE) {
        if (S->mode && S->mode->destroy) S->mode->destroy(S);
        S->mode = NULL;
    }
    if (stage <= XHI_STAGE_PRECOND) {
        xhi_precond_destroy(&S->pc);
        memset(&S->pc_info, 0, sizeof S->pc_info);
    }
}

xh_status xh_solver_set_options(xh_solver *S, const xh_options *opt)
{
    xh_status st = XH_OK;
    XH_CHECK(S != NULL && opt != NULL, XH_ERR_ARG, "xh_solver_set_options: NULL argument");
    XH_CALL(xhi_options_validate(opt));
    xhi_solver_reset(S, xhi_options_changed_stage(&S->opt, opt));
    S->opt = *opt;
cleanup:
    return st;
}

xh_status xh_solver_get_options(const xh_solver *S, xh_options *opt)
{
    xh_status st = XH_OK;
    XH_CHECK(S != NULL && opt != NULL, XH_ERR_ARG, "xh_solver_get_options: NULL argument");
    *opt = S->opt;
cleanup:
    return st;
}

xh_status xh_solver_set_from_string(xh_solver *S, const char *text)
{
    xh_status st = XH_OK;
    xh_options opt;
    XH_CHECK(S != NULL, XH_ERR_ARG, "xh_solver_set_from_string: S is NULL");
    opt = S->opt;
    /* the good words apply even when another word is bad */
    xh_status parsed = xhi_options_parse_string(&opt, text, &S->given);
    XH_CALL(xh_solver_set_options(S, &opt));
    st = parsed;
cleanup:
    return st;
}

/* set_from_args on top of the current options, or (replace) of the defaults. */
static xh_status xhi_solver_from_args(xh_solver *S, int *argc, char **argv, int replace)
{
    xh_status st = XH_OK;
    xh_options opt;
    XH_CHECK(S != NULL, XH_ERR_ARG, "xh_solver_%s_from_args: S is NULL", replace ? "replace" : "set");
    opt = S->opt;
    if (replace) {
        XH_CALL(xh_options_default(&opt));
        S->given = 0;
    }
    xh_status parsed = xhi_options_parse_args(&opt, argc, argv, &S->given);
    XH_CALL(xh_solver_set_options(S, &opt));
    st = parsed;
cleanup:
    return st;
}

xh_status xh_solver_set_from_args(xh_solver *S, int *argc, char **argv)
{
    return xhi_solver_from_args(S, argc, argv, 0);
}

xh_status xh_solver_replace_from_args(xh_solver *S, int *argc, char **argv)
{
    return xhi_solver_from_args(S, argc, argv, 1);
}

xh_status xh_solver_set_matrix(xh_solver *S, xh_matrix *A)
{
    xh_status st = XH_OK;
    XH_CHECK(S != NULL && A != NULL, XH_ERR_ARG, "xh_solver_set_matrix: NULL argument");
    int same = 0;
    XH_CALL_MPI(MPI_Comm_compare(S->comm, A->comm, &same));
    XH_CHECK(same == MPI_IDENT || same == MPI_CONGRUENT, XH_ERR_ARG,
             "xh_solver_set_matrix: the matrix lives on another communicator than the solver");
    static long long serials; /* the matrices solvers have taken in this process */
    if (A->serial == 0) A->serial = ++serials;
    /* The same matrix: its version tells the next setup whether its values changed. */
    if (A == S->A && A->serial == S->A_serial) goto cleanup;
    xhi_solver_reset(S, XHI_STAGE_PRECOND);
    S->A = A;
    S->A_serial = A->serial;
cleanup:
    return st;
}

static double xhi_max_over_ranks(MPI_Comm comm, double v)
{
    double m = v;
    MPI_Allreduce(&v, &m, 1, MPI_DOUBLE, MPI_MAX, comm);
    return m;
}

xh_status xh_solver_setup(xh_solver *S)
{
    xh_status st = XH_OK;
    XH_CHECK(S != NULL, XH_ERR_ARG, "xh_solver_setup: S is NULL");
    XH_CHECK(S->A != NULL, XH_ERR_STATE, "xh_solver_setup: no matrix (call xh_solver_set_matrix)");
    const long long version = S->A->version;
    /* Kept (-reuse_preconditioner), the preconditioner may be of older values; the mode never. */
    int pc_stale = !S->pc || (S->pc_version != version && !S->opt.reuse_preconditioner);
    if (!pc_stale && S->mode && S->mode_version == version) goto cleanup;
    /* New values on the pattern the preconditioner was set up on: only its values where its
     * symbolic part can be kept; any other preconditioner is set up from scratch. */
    int refresh = pc_stale && S->pc && xhi_precond_can_refresh(S->pc);
    xhi_solver_reset(S, pc_stale && !refresh ? XHI_STAGE_PRECOND : XHI_STAGE_MODE);
    S->mode = xhi_mode_find(S->opt.precision);
    XH_CHECK(S->mode != NULL, XH_ERR_ARG, "unknown precision mode '%s'", S->opt.precision);
    if (S->mode->resolve) S->mode = S->mode->resolve(&S->opt);
    XH_CHECK(S->mode != NULL, XH_ERR_ARG, "no %s implementation for these options",
             S->opt.precision);
    XH_CHECK(!S->opt.reproducible || !strcmp(S->opt.precision, "eft") ||
                 !strcmp(S->opt.precision, "mixed-eft"),
             XH_ERR_ARG, "-reproducible needs -precision eft or mixed-eft (not %s)",
             S->opt.precision);
    /* the next solve reports this setup (PCSetUp, KSPSetUp) */
    xhi_log *outer_log = xhi_log_activate(&S->pending);
    double t0 = xhi_wtime();
    if (refresh) {
        st = xhi_precond_refresh(S->pc);
    } else if (pc_stale) {
        st = xhi_precond_create(S->comm, &S->opt, &S->pc);
        if (st == XH_OK) st = xhi_precond_setup(S->pc, S->A);
    }
    /* before the mode's setup, which takes the preconditioner's block size (xhi_block_size) */
    if (st == XH_OK && pc_stale) st = xhi_precond_info(S->pc, &S->pc_info);
    double t1 = xhi_wtime();
    if (st == XH_OK) st = S->mode->setup(S);
    double t2 = xhi_wtime();
    if (pc_stale) xhi_log_add(XHI_EV_PCSETUP, t1 - t0);
    xhi_log_add(XHI_EV_KSPSETUP, t2 - t1);
    xhi_log_activate(outer_log);
    double elapsed = xhi_max_over_ranks(S->comm, t2 - t0);
    XH_AGREE(S->comm);
    if (pc_stale) S->pc_version = version;
    S->mode_version = version;
    xh_setup_kind kind = !pc_stale ? XH_SETUP_MODE : refresh ? XH_SETUP_NUMERIC : XH_SETUP_FULL;
    S->setup_s += elapsed;
    if (kind > S->setup_kind) S->setup_kind = kind;
cleanup:
    if (st < 0 && S) xhi_solver_reset(S, XHI_STAGE_PRECOND);
    return st;
}

/* The setups since the last solve go to this solve's stats, once. */
static void xhi_setup_report(xh_solver *S, xh_stats *out)
{
    out->setup_s = S->setup_s;
    out->setup_kind = S->setup_kind;
    S->setup_s = 0;
    S->setup_kind = XH_SETUP_NONE;
}

/* max |v_i| over the ranks. */
static double xhi_norm_inf(MPI_Comm comm, const double *v, HYPRE_Int n)
{
    double local = 0, global = 0;
    for (HYPRE_Int i = 0; i < n; i++) local = fmax(local, fabs(v[i]));
    MPI_Allreduce(&local, &global, 1, MPI_DOUBLE, MPI_MAX, comm);
    return global;
}

/* 2-norm of a distributed vector: eft's scaled compensated norm, so that the squares neither
 * underflow nor overflow (an unscaled norm of entries below 1e-162 is 0, which made a solve
 * "converge" to x = 0).  NaN when the reduction fails (a bug: its arguments are checked here). */
static double xhi_norm2(MPI_Comm comm, const double *v, HYPRE_Int n)
{
    double norm = NAN;
    (void)xhi_eft_norm2_global(comm, (size_t)n, v, &norm);
    return norm;
}

/* The power of two by which the solve scales b (and x) when b's largest entry is outside
 * 2^-XHI_RHS_SCALE_EXP .. 2^XHI_RHS_SCALE_EXP, or 0 for none: the Krylov methods' unscaled norms
 * (HYPRE's included) square the entries.  Scaling by a power of two is exact. */
#define XHI_RHS_SCALE_EXP 256
static int xhi_rhs_scale(double bmax)
{
    int e = 0;
    if (bmax > 0 && isfinite(bmax)) frexp(bmax, &e);
    return e < -XHI_RHS_SCALE_EXP || e > XHI_RHS_SCALE_EXP ? -e : 0;
}

/* ||b - A x|| in FP64 with the matrix of record. */
static xh_status xhi_true_residual_norm(const xh_matrix *A, const double *b, const double *x,
                                        double *rnorm)
{
    xh_status st = XH_OK;
    HYPRE_Int n = A->csr.nrows;
    double *ax = NULL;
    XH_CALL(XHI_ALLOC(&ax, n, "residual vector"));
    XH_CALL(xh_matrix_matvec(A, x, ax));
    for (HYPRE_Int i = 0; i < n; i++) ax[i] = b[i] - ax[i];
    *rnorm = xhi_norm2(A->comm, ax, n);
cleanup:
    xhi_free(ax);
    return st;
}

static xh_reason xhi_reason_from(const xh_options *opt, double relres, const xhi_solve_result *r)
{
    if (!isfinite(relres) || relres > XHI_DIVERGENCE_FACTOR) return XH_DIVERGED;
    if (relres <= opt->tol) return XH_CONVERGED;
    if (r->iterations >= opt->maxit && !r->breakdown) return XH_MAX_ITERATIONS;
    return XH_BREAKDOWN;
}

/* -monitor: the history, labelled with what each entry is (like PETSc's "KSP Residual norm"):
 * the Krylov method's own residual per iteration, or in the refinement modes the outer steps'
 * true residual with the inner iterations they took. */
static void xhi_print_monitor(const xh_solver *S, const xh_stats *out)
{
    int rank = 0;
    MPI_Comm_rank(S->comm, &rank);
    if (rank != 0) return;
    for (int i = 0; i < S->history_len; i++) {
        if (S->history_inner)
            printf("%4d outer: true relres ||b-Ax||/||b|| %.6e after %d inner %s iterations "
                   "(%d in all)\n",
                   i, S->history[i], i ? S->history_inner[i] - S->history_inner[i - 1] : 0,
                   out->inner_solver, S->history_inner[i]);
        else
            printf("%4d KSP %s residual norm ||r||/||b|| %.6e\n", i, out->solver, S->history[i]);
    }
    fflush(stdout);
}

/* The checks of the rank's b and x (local). */
static xh_status xhi_solve_args(const xh_solver *S, const double *b, const double *x)
{
    xh_status st = XH_OK;
    HYPRE_Int n = S->A->csr.nrows;
    XH_CHECK((b != NULL && x != NULL) || n == 0, XH_ERR_ARG, "xh_solver_solve: b or x is NULL");
    XH_CHECK(b != x || n == 0, XH_ERR_ARG, "xh_solver_solve: b and x must be different arrays");
    for (HYPRE_Int i = 0; i < n; i++)
        XH_CHECK(isfinite(b[i]) && (!S->opt.initial_guess_nonzero || isfinite(x[i])), XH_ERR_ARG,
                 "xh_solver_solve: %s has a non-finite entry in row %d",
                 isfinite(b[i]) ? "the initial guess x" : "b", (int)(S->A->csr.row_start + i));
cleanup:
    return st;
}

xh_status xh_solver_solve(xh_solver *S, const double *b, double *x, xh_stats *stats)
{
    xh_status st = XH_OK;
    xhi_solve_result res = {0};
    xh_stats out;
    xhi_log *logged = NULL, *outer_log = NULL;
    memset(&out, 0, sizeof out);
    XH_CHECK(S != NULL, XH_ERR_ARG, "xh_solver_solve: S is NULL");
    XH_CHECK(S->A != NULL, XH_ERR_STATE, "xh_solver_solve: no matrix (call xh_solver_set_matrix)");
    HYPRE_Int n = S->A->csr.nrows;
    /* local checks: every rank reaches the agreement, also the one whose b has a NaN */
    st = xhi_solve_args(S, b, x);
    XH_AGREE(S->comm);
    logged = &S->pending;
    outer_log = xhi_log_activate(logged);
    XH_CALL(xh_solver_setup(S));
    xhi_free(S->history);
    xhi_free(S->history_inner);
    S->history = NULL;
    S->history_inner = NULL;
    S->history_len = 0;
    if (!S->opt.initial_guess_nonzero && n > 0) memset(x, 0, (size_t)n * sizeof *x);

    double bnorm = xhi_norm2(S->comm, b, n), rnorm = 0;
    res.fwd_err_estimate = res.backward_error = res.true_relres = -1;
    double t0 = xhi_wtime();
    if (bnorm == 0) {
        /* x = 0 solves A x = 0 exactly; a Krylov method would divide by ||b|| = 0. */
        if (n > 0) memset(x, 0, (size_t)n * sizeof *x);
    } else {
        int e = xhi_rhs_scale(xhi_norm_inf(S->comm, b, n));
        double *scaled = NULL;
        if (e != 0) {
            st = XHI_ALLOC(&scaled, n, "scaled right-hand side");
            XH_AGREE(S->comm);
            for (HYPRE_Int i = 0; i < n; i++) {
                scaled[i] = ldexp(b[i], e);
                x[i] = ldexp(x[i], e);
            }
        }
        st = S->mode->solve(S, scaled ? scaled : b, x, &res);
        for (HYPRE_Int i = 0; e != 0 && i < n; i++) x[i] = ldexp(x[i], -e);
        xhi_free(scaled);
        XH_AGREE(S->comm);
    }
    double solve_s = xhi_wtime() - t0, t1 = xhi_wtime();
    out.solve_s = xhi_max_over_ranks(S->comm, solve_s);
    xhi_log_add(XHI_EV_KSPSOLVE, solve_s);
    XH_CALL(xhi_true_residual_norm(S->A, b, x, &rnorm));
    xhi_log_add(XHI_EV_TRUERESIDUAL, xhi_wtime() - t1);
    if (S->A->read_s >= 0) xhi_log_add(XHI_EV_MATREAD, S->A->read_s);
    if (S->A->assembly_s >= 0) xhi_log_add(XHI_EV_MATASSEMBLY, S->A->assembly_s);
    XH_CALL(xhi_log_gather(S->comm, logged, &out.log));
    S->log = out.log;
    out.true_relres = bnorm > 0 ? rnorm / bnorm : 0.0;
    if (res.true_relres >= 0) out.true_relres = res.true_relres;
    out.iterations = res.iterations;
    out.solver_relres = bnorm > 0 ? res.solver_relres : 0.0;
    out.reason = xhi_reason_from(&S->opt, out.true_relres, &res);
    xhi_setup_report(S, &out);
    out.outer_steps = res.outer_steps;
    out.precision_switches = res.precision_switches;
    memcpy(out.switch_reason, res.switch_reason, sizeof out.switch_reason);
    out.last_correction = res.last_correction;
    out.n = S->A->csr.nrows_global;
    out.nnz = S->A->nnz_global;
    MPI_Comm_size(S->comm, &out.ranks);
    strcpy(out.solver, S->opt.solver);
    strcpy(out.precond, S->opt.precond);
    strcpy(out.precision, S->opt.precision);
    out.precond_info = S->pc_info;
    memcpy(out.kernels, res.kernels, sizeof out.kernels);
    memcpy(out.matvec, res.matvec, sizeof out.matvec);
    out.fwd_err_estimate = res.fwd_err_estimate;
    out.backward_error = res.backward_error;
    memcpy(out.stop_reason, res.stop_reason, sizeof out.stop_reason);
    memcpy(out.inner_solver, res.inner_solver, sizeof out.inner_solver);
    S->history = res.history;
    S->history_inner = res.history_inner;
    S->history_len = res.history_len;
    res.history = NULL;
    res.history_inner = NULL;
    if (S->opt.history || S->opt.monitor) {
        out.history = S->history;
        out.history_inner = S->history_inner;
        out.history_len = S->history_len;
    }
    if (S->opt.monitor) xhi_print_monitor(S, &out);
cleanup:
    if (logged) { /* reported, or lost with the failed solve */
        xhi_log_activate(outer_log);
        memset(logged, 0, sizeof *logged);
    }
    xhi_free(res.history);
    xhi_free(res.history_inner);
    if (stats) *stats = out;
    return st;
}

int xhi_block_size(const xh_solver *S)
{
    return S->opt.block_size > 0 ? S->opt.block_size : S->pc_info.block_size;
}

xh_status xh_solver_get_precond_info(const xh_solver *S, xh_precond_info *info)
{
    xh_status st = XH_OK;
    XH_CHECK(S != NULL && info != NULL, XH_ERR_ARG, "xh_solver_get_precond_info: NULL argument");
    XH_CHECK(S->pc != NULL, XH_ERR_STATE,
             "xh_solver_get_precond_info: no setup yet (call xh_solver_setup)");
    *info = S->pc_info;
cleanup:
    return st;
}

xh_status xh_solver_destroy(xh_solver **S)
{
    if (!S || !*S) return XH_OK;
    xhi_solver_reset(*S, XHI_STAGE_PRECOND);
    xhi_free((*S)->history);
    xhi_free((*S)->history_inner);
    xhi_free(*S);
    *S = NULL;
    return XH_OK;
}
