/* solvers/mode_mixed.c — the refinement modes.  mixed and auto: FP64 iterative refinement
 * around an FP32-storage inner solve (HYPRE's Krylov method over FP32 vectors and an FP32 matrix,
 * scalars in double), with convergence-aware precision control (below).  mixed-eft:
 * three-precision GMRES-IR for the forward error (xhi_ir_solve, further down).
 *
 *   x = x0;  r = b - A x  (FP64; error-free once auto has switched)
 *   repeat until ||r|| / ||b|| <= tol:
 *       s = ||r||_inf;  r32 = float(D_r r / s);  solve A32 y = r32 to the inner tolerance;
 *       d = s D_c y;  x += d;  r = b - A x
 *
 * The inner tolerance is -inner_tol, loosened to what the outer test still needs, and never below
 * 1e-6, where FP32 Krylov stagnates.  Every outer step measures the contraction ||r_new||/||r||.
 * The inner solve continues in FP64 (mixed: plain; auto: as GMRES-IR below, until the residual
 * test is met) when: the matrix does not fit FP32 even after
 * equilibration, an inner solve or the correction is not finite, a step increases the residual
 * (the step is undone), or two steps in a row reduce it by less than XHI_STALL_RHO.  Each switch
 * is counted and the first reason kept in the result.  After the switch, a step that makes no
 * progress ends the solve (reported, never a silent loop); so do maxit inner iterations in all.
 * The last ||d||/||x|| is reported.
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "private/xhi_krylov.h"
#include "private/xhi_local_bsr.h"

#define XHI_STALL_RHO 0.5       /* a step must reduce the residual at least this much */
#define XHI_INNER_TOL_FLOOR 1e-6
#define XHI_MAX_OUTER 100       /* with the maxit cap, bounds the work of a solve */

typedef enum { XHI_MIXED, XHI_MIXED_EFT, XHI_AUTO } xhi_mixed_variant;

typedef struct xhi_mixed_data {
    xhi_mixed_variant variant;
    xhi_krylov_ctx ctx;                  /* vectors, operators and callbacks of this solve */
    xhi_operator op_plain, op_eft;       /* FP64 matvec (mixed-eft: xhypre's, else HYPRE's);
                                            compensated one (EFT residual) */
    xhi_pc pc64;                         /* the preconditioner on FP64 vectors */
    xhi_fp32_system *sys32;
    xhi_generic_krylov *K32, *K64;       /* the same method over FP32 and over FP64 vectors */
    xhi_vector *b, *x, *r, *d, *r32, *y32;
} xhi_mixed_data;

/* Where a solve stands: which residual and inner precision are in use, and the record. */
typedef struct xhi_refine_state {
    int eft_residual, inner_fp64, stalls;
    double bnorm, rnorm;
    double inner_relres; /* the last inner solve's final relative residual */
    int inner_last;      /* and its iterations */
    int inner_iterations;
    xhi_solve_result *res;
} xhi_refine_state;

static void xhi_mixed_destroy(xh_solver *S)
{
    xhi_mixed_data *m = S->mode_data;
    if (!m) return;
    if (m->variant == XHI_MIXED_EFT) xhi_operator_local_destroy(&m->op_plain);
    xhi_operator_local_destroy(&m->op_eft);
    xhi_fp32_system_destroy(&m->sys32);
    xhi_generic_destroy(&m->K32);
    xhi_generic_destroy(&m->K64);
    xhi_vector_destroy(&m->b);
    xhi_vector_destroy(&m->x);
    xhi_vector_destroy(&m->r);
    xhi_vector_destroy(&m->d);
    xhi_vector_destroy(&m->r32);
    xhi_vector_destroy(&m->y32);
    xhi_free(m);
    S->mode_data = NULL;
}

static xh_status xhi_mixed_setup_variant(xh_solver *S, xhi_mixed_variant variant)
{
    xh_status st = XH_OK;
    xhi_mixed_data *m = NULL;
    XH_CALL(XHI_CALLOC(&m, 1, "mixed-precision solver data"));
    S->mode_data = m;
    m->variant = variant;
    m->ctx = (xhi_krylov_ctx){.comm = S->comm, .A = S->A, .n = S->A->csr.nrows,
                              .reproducible = S->opt.reproducible};
    /* GMRES-IR's inner solves run on the FP64 matrix: xhypre's product, in -matvec's form */
    if (variant == XHI_MIXED_EFT)
        XH_CALL(xhi_operator_local_create(&m->ctx, 0, S->opt.matvec, xhi_block_size(S),
                                          &m->op_plain));
    else
        XH_CALL(xhi_operator_parcsr(&m->ctx, &m->op_plain));
    if (variant != XHI_MIXED) XH_CALL(xhi_operator_local_create(&m->ctx, 1, NULL, 0, &m->op_eft));
    xhi_pc_fp64(S->pc, &m->pc64);
    if (variant != XHI_MIXED_EFT) { /* GMRES-IR has no FP32 inner system */
        XH_CALL(xhi_fp32_system_create(&m->ctx, &S->opt, S->pc, xhi_block_size(S), &m->sys32));
        XH_CALL(xhi_generic_create(xhi_inner_method(&S->opt), &S->opt, &m->K32));
    }
    XH_CALL(xhi_generic_create(xhi_inner_method(&S->opt), &S->opt, &m->K64));
    const xhi_vec_kind *k64 = variant == XHI_MIXED      ? &xhi_vec_fp64_fast
                              : S->opt.reproducible ? &xhi_vec_fp64_repro
                                                    : &xhi_vec_fp64_eft;
    XH_CALL(xhi_vector_create(&m->ctx, k64, &m->b));
    XH_CALL(xhi_vector_create(&m->ctx, k64, &m->x));
    XH_CALL(xhi_vector_create(&m->ctx, k64, &m->r));
    XH_CALL(xhi_vector_create(&m->ctx, k64, &m->d));
    XH_CALL(xhi_vector_create(&m->ctx, &xhi_vec_fp32, &m->r32));
    XH_CALL(xhi_vector_create(&m->ctx, &xhi_vec_fp32, &m->y32));
cleanup:
    return st;
}

/* auto: -solver itself.  For -solver gmres that is the fastest robust inner GMRES measured
 * (README, "Gram-Schmidt"): HYPRE's modified Gram-Schmidt over xhypre's FP32 kernels beat
 * COGMRES per iteration (CGS1 is slower and loses orthogonality on some shared matrices; CGS2
 * moves twice the bytes). */
const char *xhi_inner_method(const xh_options *opt)
{
    return strcmp(opt->inner_solver, "auto") == 0 ? opt->solver : opt->inner_solver;
}

static xh_status xhi_mixed_setup(xh_solver *S) { return xhi_mixed_setup_variant(S, XHI_MIXED); }
static xh_status xhi_mixed_eft_setup(xh_solver *S)
{
    return xhi_mixed_setup_variant(S, XHI_MIXED_EFT);
}
static xh_status xhi_auto_setup(xh_solver *S) { return xhi_mixed_setup_variant(S, XHI_AUTO); }

/* r = b - A x with the residual in use; *rnorm = ||r|| (Dot2 when the residual is EFT). */
static xh_status xhi_refine_residual(xhi_mixed_data *m, const xhi_refine_state *rs, double *rnorm)
{
    xh_status st = XH_OK;
    double *r = m->r->data;
    if (m->ctx.n > 0) memcpy(r, m->b->data, (size_t)m->ctx.n * sizeof *r);
    xhi_operator *op = rs->eft_residual ? &m->op_eft : &m->op_plain;
    XHI_LOG_CALL(XHI_EV_MATMULT, op->apply(op, -1.0, m->x, 1.0, m->r));
    *rnorm = sqrt(m->r->kind->dot(m->r, m->r));
cleanup:
    return st;
}

static void xhi_refine_switch(xhi_refine_state *rs, const char *why)
{
    xhi_solve_result *res = rs->res;
    if (res->precision_switches++ == 0)
        snprintf(res->switch_reason, sizeof res->switch_reason, "%s", why);
    rs->inner_fp64 = 1;
    rs->stalls = 0;
}

static double xhi_global_max(MPI_Comm comm, double v)
{
    double g = v;
    MPI_Allreduce(&v, &g, 1, MPI_DOUBLE, MPI_MAX, comm);
    return g;
}

/* One inner solve for d ≈ A^-1 r, in FP32 or FP64; *finite says whether d is usable. */
static xh_status xhi_refine_correction(xh_solver *S, xhi_mixed_data *m, xhi_refine_state *rs,
                                       double inner_tol, int inner_maxit, int *finite)
{
    xh_status st = XH_OK;
    xhi_solve_result inner = {0};
    double *d = m->d->data, s = 1;
    if (rs->inner_fp64) {
        /* FP64 inner solve: its tolerance can reach what the outer test asks in one step. */
        XH_CALL(xhi_generic_set_limits(m->K64, inner_tol, inner_maxit));
        if (m->ctx.n > 0) memset(d, 0, (size_t)m->ctx.n * sizeof *d);
        XH_CALL(xhi_generic_solve(m->K64, &m->op_plain, &m->pc64, m->r, m->d, &inner));
    } else {
        XH_CALL(xhi_generic_set_limits(m->K32, fmax(inner_tol, XHI_INNER_TOL_FLOOR), inner_maxit));
        XH_CALL(xhi_fp32_system_rhs(m->sys32, m->r, m->r32, &s));
        if (m->ctx.n > 0) memset(m->y32->data, 0, (size_t)m->ctx.n * sizeof(float));
        XH_CALL(xhi_generic_solve(m->K32, xhi_fp32_system_operator(m->sys32),
                                  xhi_fp32_system_pc(m->sys32), m->r32, m->y32, &inner));
        XH_CALL(xhi_fp32_system_correction(m->sys32, m->y32, s, m->d));
    }
    rs->inner_iterations += inner.iterations;
    rs->inner_relres = inner.solver_relres;
    rs->inner_last = inner.iterations;
    int ok = !m->ctx.nonfinite;
    for (HYPRE_Int i = 0; i < m->ctx.n && ok; i++) ok = isfinite(d[i]);
    int all = 0;
    XH_CALL_MPI(MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, S->comm));
    *finite = all;
cleanup:
    xhi_free(inner.history);
    return st;
}

/* Appends the current relative residual and the inner iterations spent so far to the history. */
static xh_status xhi_refine_record(const xhi_refine_state *rs)
{
    xh_status st = XH_OK;
    xhi_solve_result *res = rs->res;
    size_t len = (size_t)res->history_len + 1;
    double *grown = xhi_realloc(res->history, len * sizeof *grown);
    XH_CHECK(grown != NULL, XH_ERR_MEMORY, "residual history: out of memory");
    res->history = grown;
    int *inner = xhi_realloc(res->history_inner, len * sizeof *inner);
    XH_CHECK(inner != NULL, XH_ERR_MEMORY, "residual history: out of memory");
    res->history_inner = inner;
    res->history[res->history_len] = rs->rnorm / rs->bnorm;
    res->history_inner[res->history_len++] = rs->inner_iterations;
cleanup:
    return st;
}

/* ---- mixed-eft: three-precision GMRES-IR ---------------------------------------------------
 * The residual is error-free (double-double, rounded once); the correction equation A d = r is
 * solved by the inner Krylov method with the FP64 matrix of record as its operator (fl32(A) is a
 * different system: its corrections stop improving the error long before the residual shows
 * it), preconditioned by the preconditioner's FP64 apply over its stored form (FP32 blocks for
 * Block-ISAI, FP64 for HYPRE's), to a fixed inner tolerance and a cap of a few restart cycles.
 * Stopping follows Demmel et al. (TOMS 2006): converged when ||d||/||x|| <= fwd_tol (u by
 * default); stagnation when ||d_k|| / ||d_k-1|| > 1/2 twice in a row (after the first, the inner
 * solve is tightened 100x and its cap doubled); at most XHI_IR_MAX_STEPS steps.  A step whose
 * residual grew more than 2x, while its correction and the componentwise backward error of the
 * new x are above rounding level, is an inner solve that returned a worse iterate: it is undone
 * and counts as poor contraction (near the solution an ill-conditioned A gives residuals of
 * rounding size that grow and shrink by factors of a few from one correct step to the next).
 * When the second poor step comes from an inner solve that used up its cap, the inner solve gets
 * the whole remaining iteration budget once before stagnation is declared; a contracting step
 * that used up its cap doubles it (the step count, not the inner tolerance, was the limit).
 * The forward error estimate is the last correction times rho / (1 - rho) for its contraction
 * rho < 1/2 (with linear convergence the error left after a step is about rho times that
 * step), the last correction itself otherwise, and at least u; none (-1) when the last inner
 * solve missed its tolerance and x is not at rounding level (correction and componentwise
 * backward error both within XHI_IR_NOISE u: a stagnating inner solve also returns tiny
 * corrections). */
#define XHI_IR_MAX_STEPS 20
#define XHI_IR_INNER_TOL 1e-6
#define XHI_IR_INNER_TOL_MIN 1e-12
#define XHI_IR_CYCLES 4          /* restart cycles of an inner GMRES per step */
#define XHI_IR_CONTRACTION 0.5
#define XHI_IR_NOISE 1e3         /* corrections below this many u are rounding-level */

/* Inner iterations per step: a few restart cycles of the GMRES family, -inner_maxit otherwise. */
static int xhi_ir_inner_cap(const xh_options *o)
{
    const char *method = xhi_inner_method(o);
    int restarted = strcmp(method, "pcg") != 0 && strcmp(method, "bicgstab") != 0;
    return restarted ? XHI_IR_CYCLES * o->restart : o->inner_maxit;
}

/* x += sign d; the correction ||d||_inf / ||x||_inf over the ranks. */
static double xhi_refine_update(xhi_mixed_data *m, MPI_Comm comm, double sign)
{
    double *xd = m->x->data, *dd = m->d->data, xmax = 0, dmax = 0;
    for (HYPRE_Int i = 0; i < m->ctx.n; i++) {
        xd[i] += sign * dd[i];
        xmax = fmax(xmax, fabs(xd[i]));
        dmax = fmax(dmax, fabs(dd[i]));
    }
    return xhi_global_max(comm, dmax) / fmax(xhi_global_max(comm, xmax), DBL_MIN);
}

/* From the current x; residual_exit: stop once ||r||/||b|| <= tol (or -residual_exit); spent:
 * inner iterations already used by this solve (auto's FP32 steps before it switched). */
static xh_status xhi_ir_solve(xh_solver *S, xhi_mixed_data *m, xhi_solve_result *res,
                              int residual_exit, int spent)
{
    xh_status st = XH_OK;
    const xh_options *o = &S->opt;
    const double u = DBL_EPSILON / 2, target = fmax(o->fwd_tol, u);
    xhi_refine_state rs = {.eft_residual = 1, .inner_fp64 = 1, .res = res,
                           .inner_iterations = spent};
    residual_exit |= o->residual_exit;
    double inner_tol = fmin(o->inner_tol, XHI_IR_INNER_TOL), correction = INFINITY, rho = 1;
    int cap = xhi_ir_inner_cap(o), poor = 0, given_budget = 0;
    const char *stop = "step limit";
    rs.bnorm = sqrt(m->b->kind->dot(m->b, m->b));
    XH_CALL(xhi_refine_residual(m, &rs, &rs.rnorm));
    /* continuing auto's history, the starting residual is its last entry already */
    if (res->history_len == 0) XH_CALL(xhi_refine_record(&rs));
    for (int step = 0; step < XHI_IR_MAX_STEPS; step++) {
        if (residual_exit && rs.rnorm <= o->tol * rs.bnorm) {
            stop = "residual";
            break;
        }
        if (rs.rnorm == 0) {
            stop = "exact";
            correction = rho = 0;
            break;
        }
        int budget = o->maxit - rs.inner_iterations, finite = 0;
        int limit = budget < cap ? budget : cap;
        if (budget <= 0) {
            stop = "iteration limit";
            break;
        }
        XH_CALL(xhi_refine_correction(S, m, &rs, inner_tol, limit, &finite));
        int hit_cap = rs.inner_last >= limit && limit < budget;
        res->outer_steps++;
        if (!finite) {
            stop = "non-finite";
            break;
        }
        double c = xhi_refine_update(m, S->comm, 1.0), rnorm_old = rs.rnorm;
        XH_CALL(xhi_refine_residual(m, &rs, &rs.rnorm));
        int worse = !(rs.rnorm <= 2 * rnorm_old) && c > XHI_IR_NOISE * u;
        if (worse) { /* a larger residual at x's rounding level is noise, not a worse x */
            double omega = 0;
            XHI_LOG_CALL(XHI_EV_MATMULT,
                         xhi_operator_local_residual(&m->op_eft, m->b, m->x, NULL, &omega));
            worse = omega > XHI_IR_NOISE * u;
        }
        if (worse) {
            xhi_refine_update(m, S->comm, -1.0);
            XH_CALL(xhi_refine_residual(m, &rs, &rs.rnorm));
        } else {
            rho = isfinite(correction) ? c / correction : 0;
            correction = c;
            res->last_correction = c;
            XH_CALL(xhi_refine_record(&rs));
            if (c <= target) {
                stop = "forward";
                break;
            }
        }
        if (worse || rho > XHI_IR_CONTRACTION) {
            /* Twice poor is stagnation, unless the inner solve only lacked iterations: then it
             * gets the whole remaining budget, once (the matrix needs long Krylov solves). */
            if (++poor >= 2 && !(hit_cap && !given_budget)) {
                stop = "stagnation";
                break;
            }
            if (poor >= 2) {
                given_budget = 1;
                cap = budget;
            } else {
                cap *= 2;
            }
            inner_tol = fmax(inner_tol * 1e-2, XHI_IR_INNER_TOL_MIN);
        } else {
            poor = 0;
            if (hit_cap) cap *= 2; /* contracting, but the cap set the pace: fewer, longer steps */
        }
    }
    /* Converging (rho < 1/2): the error left is about rho / (1 - rho) times the last
     * correction; otherwise the last correction itself is the size of the error.  A correction
     * from an inner solve that missed its tolerance says nothing of the error: no estimate. */
    XHI_LOG_CALL(XHI_EV_MATMULT, xhi_operator_local_residual(&m->op_eft, m->b, m->x, NULL,
                                                             &res->backward_error));
    int at_rounding = correction <= XHI_IR_NOISE * u && res->backward_error <= XHI_IR_NOISE * u;
    int measured = !strcmp(stop, "forward") || !strcmp(stop, "exact") || at_rounding ||
                   (isfinite(correction) && rs.inner_relres <= inner_tol);
    double est = rho < XHI_IR_CONTRACTION ? correction * rho / (1 - rho) : correction;
    res->fwd_err_estimate = measured ? fmax(u, est) : -1;
    snprintf(res->stop_reason, sizeof res->stop_reason, "%s", stop);
    res->iterations = rs.inner_iterations;
    res->solver_relres = res->true_relres = rs.rnorm / rs.bnorm;
cleanup:
    return st;
}

static xh_status xhi_mixed_solve(xh_solver *S, const double *b, double *x, xhi_solve_result *res)
{
    xh_status st = XH_OK;
    xhi_mixed_data *m = S->mode_data;
    const xh_options *o = &S->opt;
    size_t bytes = (size_t)m->ctx.n * sizeof(double);
    double *xd = m->x->data;
    xhi_refine_state rs = {.res = res};
    if (bytes) {
        memcpy(m->b->data, b, bytes);
        memcpy(xd, x, bytes);
    }
    if (m->variant == XHI_MIXED_EFT) {
        XH_CALL(xhi_ir_solve(S, m, res, 0, 0));
        goto done;
    }
    rs.bnorm = sqrt(m->b->kind->dot(m->b, m->b));
    const char *trouble = xhi_fp32_system_trouble(m->sys32);
    if (trouble) xhi_refine_switch(&rs, trouble);
    XH_CALL(xhi_refine_residual(m, &rs, &rs.rnorm));
    XH_CALL(xhi_refine_record(&rs));
    for (int outer = 0; outer < XHI_MAX_OUTER; outer++) {
        if (rs.rnorm <= o->tol * rs.bnorm) break;
        if (m->variant == XHI_AUTO && rs.inner_fp64) {
            /* switched: the rest is GMRES-IR, aiming at tol */
            XH_CALL(xhi_ir_solve(S, m, res, 1, rs.inner_iterations));
            goto done;
        }
        int budget = o->maxit - rs.inner_iterations;
        if (budget <= 0 || !isfinite(rs.rnorm)) break;
        /* Ask no more of the inner solve than the outer test still needs (with some margin). */
        double needed = 0.5 * o->tol * rs.bnorm / rs.rnorm;
        double inner_tol = rs.inner_fp64 ? fmin(0.5, fmax(needed, 1e-15))
                                         : fmax(o->inner_tol, fmin(0.5, needed));
        int inner_max = budget < o->inner_maxit || rs.inner_fp64 ? budget : o->inner_maxit;
        int finite = 0;
        XH_CALL(xhi_refine_correction(S, m, &rs, inner_tol, inner_max, &finite));
        res->outer_steps++;
        if (!finite) {
            if (rs.inner_fp64) break;
            xhi_refine_switch(&rs, "the FP32 inner solve produced Inf/NaN");
            continue;
        }
        double correction = xhi_refine_update(m, S->comm, 1.0), rnorm_old = rs.rnorm;
        XH_CALL(xhi_refine_residual(m, &rs, &rs.rnorm));
        double rho = rs.rnorm / rnorm_old;
        if (!(rho < 1.0)) {
            /* The step made things worse (or non-finite): undo it. */
            xhi_refine_update(m, S->comm, -1.0);
            XH_CALL(xhi_refine_residual(m, &rs, &rs.rnorm));
            if (rs.inner_fp64) break;
            xhi_refine_switch(&rs, "an FP32 refinement step increased the residual");
            continue;
        }
        res->last_correction = correction;
        XH_CALL(xhi_refine_record(&rs));
        if (rho <= XHI_STALL_RHO) {
            rs.stalls = 0;
            continue;
        }
        if (++rs.stalls < 2) continue;
        if (rs.inner_fp64) break;
        xhi_refine_switch(&rs, "FP32 refinement stagnated (two steps reduced the residual < 2x)");
    }
    res->iterations = rs.inner_iterations;
    res->solver_relres = rs.rnorm / rs.bnorm;
done:
    if (m->sys32) {
        snprintf(res->kernels, sizeof res->kernels, "xhypre-fp32");
        xhi_matvec_describe(xhi_fp32_system_operator(m->sys32)->block_size, res->matvec,
                            sizeof res->matvec);
    } else {
        snprintf(res->kernels, sizeof res->kernels,
                 m->ctx.reproducible ? "xhypre-repro" : "xhypre-dot2");
        xhi_matvec_describe(m->op_plain.block_size, res->matvec, sizeof res->matvec);
    }
    snprintf(res->inner_solver, sizeof res->inner_solver, "%s", xhi_inner_method(o));
    if (bytes) memcpy(x, xd, bytes);
cleanup:
    return st;
}

/* ---- -view: the constants above, as the solves use them ------------------------------------- */

/* Every variant runs its inner method through HYPRE's function table, with the tolerance and the
 * iteration limit set per inner solve (the mode's view says how). */
static xh_status xhi_refine_view_solver(const xh_solver *S, FILE *out)
{
    const xhi_mixed_data *m = S->mode_data;
    const char *method = xhi_inner_method(&S->opt);
    xhi_view_printf(out,
                    "  inner solves: %s (-inner_solver %s), HYPRE's function table over xhypre's "
                    "vectors; tol and maxit set per inner solve (precision mode)\n",
                    method, S->opt.inner_solver);
    return xhi_generic_view(m ? m->K64 : NULL, method, &S->opt, 0, 1, out);
}

/* GMRES-IR (xhi_ir_solve): mixed-eft, and auto after a switch. */
static void xhi_ir_view(const xh_options *o, FILE *out)
{
    const double u = DBL_EPSILON / 2;
    xhi_view_printf(out,
                    "  GMRES-IR: error-free residual (double-double, rounded once); inner solves "
                    "in FP64 on the matrix of record with the preconditioner's FP64 apply\n");
    xhi_view_printf(out,
                    "  inner tol %g (min of -inner_tol and %g), tightened down to %g after a poor "
                    "step; %d inner iterations per step, doubled when that cap set the pace\n",
                    fmin(o->inner_tol, XHI_IR_INNER_TOL), XHI_IR_INNER_TOL, XHI_IR_INNER_TOL_MIN,
                    xhi_ir_inner_cap(o));
    xhi_view_printf(out,
                    "  stop: ||d||_inf/||x||_inf <= %g (-fwd_tol %g, 0: u), stagnation (two "
                    "contractions > %g), %s, %d steps\n",
                    fmax(o->fwd_tol, u), o->fwd_tol, XHI_IR_CONTRACTION,
                    o->residual_exit ? "||r|| <= tol ||b|| (-residual_exit)" : "-residual_exit off",
                    XHI_IR_MAX_STEPS);
}

static xh_status xhi_refine_view(const xh_solver *S, xhi_mixed_variant variant, FILE *out)
{
    const xhi_mixed_data *m = S->mode_data;
    const xh_options *o = &S->opt;
    char form[XH_NAME_MAX] = "";
    if (variant == XHI_MIXED_EFT) {
        xhi_ir_view(o, out);
        xhi_view_printf(out, "  inner products and norms: %s (-reproducible %s)\n",
                        o->reproducible ? "binned reproducible sums" : "Dot2, compensated MPI sums",
                        o->reproducible ? "on" : "off");
    } else {
        xhi_view_printf(out,
                        "  refinement: x += d until the FP64 ||b - A x|| <= tol ||b||, tol %g, "
                        "%d outer steps at most\n",
                        o->tol, XHI_MAX_OUTER);
        xhi_view_printf(out,
                        "  inner solves in FP32 (A rounded to FP32, equilibrated by powers of two "
                        "when its range needs it): tol -inner_tol %g loosened to what the outer "
                        "test still needs, at least %g; -inner_maxit %d\n",
                        o->inner_tol, XHI_INNER_TOL_FLOOR, o->inner_maxit);
        xhi_view_printf(out,
                        "  precision switch to FP64 inner solves when A does not fit FP32, a "
                        "correction is not finite, a step raises the residual (undone) or two in a "
                        "row give ||r_new||/||r|| > %g; then %s\n",
                        XHI_STALL_RHO,
                        variant == XHI_AUTO ? "GMRES-IR (below) until ||r|| <= tol ||b||"
                                            : "a step without progress ends the solve");
        if (variant == XHI_AUTO) xhi_ir_view(o, out);
    }
    xhi_view_printf(out, "  inner iterations: maxit %d in all\n", o->maxit);
    if (!m) {
        xhi_view_printf(out, "  matvec: -matvec %s, -block_size %d (the form is chosen at setup)\n",
                        o->matvec, o->block_size);
        return XH_OK;
    }
    if (m->sys32) {
        const char *trouble = xhi_fp32_system_trouble(m->sys32);
        xhi_matvec_describe(xhi_fp32_system_operator(m->sys32)->block_size, form, sizeof form);
        xhi_view_printf(out, "  built: FP32 inner system, matvec %s (-matvec %s)%s%s\n", form,
                        o->matvec, trouble ? "; starts in FP64: " : "", trouble ? trouble : "");
    } else {
        xhi_matvec_describe(m->op_plain.block_size, form, sizeof form);
        xhi_view_printf(out, "  built: FP64 inner matvec %s (-matvec %s), vectors %s\n", form,
                        o->matvec, m->b->kind->name);
    }
    return XH_OK;
}

static xh_status xhi_mixed_view(const xh_solver *S, FILE *out)
{
    return xhi_refine_view(S, XHI_MIXED, out);
}
static xh_status xhi_mixed_eft_view(const xh_solver *S, FILE *out)
{
    return xhi_refine_view(S, XHI_MIXED_EFT, out);
}
static xh_status xhi_auto_view(const xh_solver *S, FILE *out)
{
    return xhi_refine_view(S, XHI_AUTO, out);
}

const xhi_mode_ops xhi_mode_mixed = {
    "mixed", "FP64 refinement around an FP32 inner Krylov solve (FP64 residual)", NULL,
    xhi_mixed_setup, xhi_mixed_solve, xhi_mixed_destroy, xhi_refine_view_solver, xhi_mixed_view};
const xhi_mode_ops xhi_mode_mixed_eft = {
    "mixed-eft", "mixed with an error-free (double-double) residual: FP64-level forward error",
    NULL, xhi_mixed_eft_setup, xhi_mixed_solve, xhi_mixed_destroy, xhi_refine_view_solver,
    xhi_mixed_eft_view};
const xhi_mode_ops xhi_mode_auto = {
    "auto", "mixed, switching to FP64/EFT when refinement stalls", NULL, xhi_auto_setup,
    xhi_mixed_solve, xhi_mixed_destroy, xhi_refine_view_solver, xhi_auto_view};
