/* bench/bench_hypre.c — the HYPRE 2.26 peer: ParCSR Krylov methods and preconditioners called
 * directly through HYPRE's API, on the ParCSR matrix behind the xhypre matrix (the same object
 * xhypre solves with, so both see identical rows on identical ranks).
 *
 * Settings are HYPRE's defaults except: GMRES/COGMRES restart 30; relative tolerance tol and
 * absolute tolerance 0; PCG with the 2-norm test ||r||/||b|| (HYPRE's default is the
 * preconditioned norm); logging 1 and print level 1 so the residual norms are kept (see
 * bench_hy_mute); preconditioners applied once
 * per iteration (max 1 iteration, tolerance 0).  HYPRE's GMRES is right-preconditioned and checks
 * the true residual before it declares convergence.  ILU(0) and ILU(1) are HYPRE_ILU type 0
 * (block Jacobi over ranks) with HYPRE's default local reverse Cuthill-McKee reordering; Euclid
 * (ILU(1)) and ParaSails use the natural ordering; ilu0-natural is HYPRE's ILU(0) in the natural
 * order (HYPRE_ILUSetLocalReordering(0), xhypre's default).  boomeramg-sys is BoomerAMG for
 * systems: HYPRE_BoomerAMGSetNumFunctions(b) with the unknown-based approach (interleaved
 * unknowns, HYPRE's default dof map), b the problem's block size (given with @B, else the one
 * xh_matrix_get_info detects); with b = 1 it is plain boomeramg.
 *
 * HYPRE reports errors through return codes (a sticky flag, cleared after each call here), which
 * may differ between ranks: the ranks agree on the outcome after each phase, so a failure on one
 * rank never leaves the others waiting.  An error flag returned by the solve itself (not
 * converged, or a breakdown) is an outcome, not an error: the row is judged by its residual.
 * Euclid ends the process (MPI_Abort) on some errors; bench/run restarts the benchmark after such
 * a crash, and the row is reported as "crashed".
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <HYPRE_parcsr_ls.h>
#include <krylov.h>

#include "bench_solvers.h"

/* ---- Krylov methods ---- */

typedef struct bench_hy_method {
    const char *name;
    HYPRE_Int (*create)(MPI_Comm comm, HYPRE_Solver *solver);
    HYPRE_Int (*destroy)(HYPRE_Solver solver);
    HYPRE_Int (*set_tol)(HYPRE_Solver solver, HYPRE_Real tol);
    HYPRE_Int (*set_abs_tol)(HYPRE_Solver solver, HYPRE_Real tol);
    HYPRE_Int (*set_maxit)(HYPRE_Solver solver, HYPRE_Int maxit);
    HYPRE_Int (*set_kdim)(HYPRE_Solver solver, HYPRE_Int kdim); /* NULL: no restart */
    HYPRE_Int (*set_logging)(HYPRE_Solver solver, HYPRE_Int logging);
    HYPRE_Int (*set_print_level)(HYPRE_Solver solver, HYPRE_Int level);
    HYPRE_Int (*set_two_norm)(HYPRE_Solver solver, HYPRE_Int two_norm); /* NULL: ||r|| already */
    HYPRE_Int (*set_precond)(HYPRE_Solver solver, HYPRE_PtrToParSolverFcn solve,
                             HYPRE_PtrToParSolverFcn setup, HYPRE_Solver precond);
    HYPRE_Int (*setup)(HYPRE_Solver s, HYPRE_ParCSRMatrix A, HYPRE_ParVector b, HYPRE_ParVector x);
    HYPRE_Int (*solve)(HYPRE_Solver s, HYPRE_ParCSRMatrix A, HYPRE_ParVector b, HYPRE_ParVector x);
    HYPRE_Int (*get_iterations)(HYPRE_Solver solver, HYPRE_Int *iterations);
    HYPRE_Int (*get_final_relres)(HYPRE_Solver solver, HYPRE_Real *relres);
    /* The residual norms of iterations 0..iterations, kept with logging (HYPRE has no public
     * getter: they are read from the method's data, as xhypre's own fp64 mode does). */
    const HYPRE_Real *(*norms)(HYPRE_Solver solver);
} bench_hy_method;

static const HYPRE_Real *bench_hy_gmres_norms(HYPRE_Solver s)
{
    return ((hypre_GMRESData *)s)->norms;
}
static const HYPRE_Real *bench_hy_cogmres_norms(HYPRE_Solver s)
{
    return ((hypre_COGMRESData *)s)->norms;
}
static const HYPRE_Real *bench_hy_pcg_norms(HYPRE_Solver s) { return ((hypre_PCGData *)s)->norms; }
static const HYPRE_Real *bench_hy_bicgstab_norms(HYPRE_Solver s)
{
    return ((hypre_BiCGSTABData *)s)->norms;
}

static const bench_hy_method bench_hy_methods[] = {
    {"gmres", HYPRE_ParCSRGMRESCreate, HYPRE_ParCSRGMRESDestroy, HYPRE_ParCSRGMRESSetTol,
     HYPRE_ParCSRGMRESSetAbsoluteTol, HYPRE_ParCSRGMRESSetMaxIter, HYPRE_ParCSRGMRESSetKDim,
     HYPRE_ParCSRGMRESSetLogging, HYPRE_ParCSRGMRESSetPrintLevel, NULL, HYPRE_ParCSRGMRESSetPrecond, HYPRE_ParCSRGMRESSetup,
     HYPRE_ParCSRGMRESSolve, HYPRE_ParCSRGMRESGetNumIterations,
     HYPRE_ParCSRGMRESGetFinalRelativeResidualNorm, bench_hy_gmres_norms},
    {"cogmres", HYPRE_ParCSRCOGMRESCreate, HYPRE_ParCSRCOGMRESDestroy, HYPRE_ParCSRCOGMRESSetTol,
     HYPRE_ParCSRCOGMRESSetAbsoluteTol, HYPRE_ParCSRCOGMRESSetMaxIter, HYPRE_ParCSRCOGMRESSetKDim,
     HYPRE_ParCSRCOGMRESSetLogging, HYPRE_ParCSRCOGMRESSetPrintLevel, NULL, HYPRE_ParCSRCOGMRESSetPrecond, HYPRE_ParCSRCOGMRESSetup,
     HYPRE_ParCSRCOGMRESSolve, HYPRE_ParCSRCOGMRESGetNumIterations,
     HYPRE_ParCSRCOGMRESGetFinalRelativeResidualNorm, bench_hy_cogmres_norms},
    {"pcg", HYPRE_ParCSRPCGCreate, HYPRE_ParCSRPCGDestroy, HYPRE_ParCSRPCGSetTol,
     HYPRE_ParCSRPCGSetAbsoluteTol, HYPRE_ParCSRPCGSetMaxIter, NULL, HYPRE_ParCSRPCGSetLogging,
     HYPRE_ParCSRPCGSetPrintLevel, HYPRE_ParCSRPCGSetTwoNorm, HYPRE_ParCSRPCGSetPrecond, HYPRE_ParCSRPCGSetup,
     HYPRE_ParCSRPCGSolve, HYPRE_ParCSRPCGGetNumIterations,
     HYPRE_ParCSRPCGGetFinalRelativeResidualNorm, bench_hy_pcg_norms},
    {"bicgstab", HYPRE_ParCSRBiCGSTABCreate, HYPRE_ParCSRBiCGSTABDestroy,
     HYPRE_ParCSRBiCGSTABSetTol, HYPRE_ParCSRBiCGSTABSetAbsoluteTol, HYPRE_ParCSRBiCGSTABSetMaxIter,
     NULL, HYPRE_ParCSRBiCGSTABSetLogging, HYPRE_ParCSRBiCGSTABSetPrintLevel, NULL,
     HYPRE_ParCSRBiCGSTABSetPrecond,
     HYPRE_ParCSRBiCGSTABSetup, HYPRE_ParCSRBiCGSTABSolve, HYPRE_ParCSRBiCGSTABGetNumIterations,
     HYPRE_ParCSRBiCGSTABGetFinalRelativeResidualNorm, bench_hy_bicgstab_norms},
};
#define BENCH_HY_NMETHODS (int)(sizeof bench_hy_methods / sizeof bench_hy_methods[0])

/* ---- preconditioners ---- */

typedef struct bench_hy_precond {
    const char *name;
    /* Creates and configures the preconditioner; NULL when it needs no object (none, jacobi). */
    HYPRE_Int (*create)(MPI_Comm comm, HYPRE_Solver *pc);
    HYPRE_Int (*destroy)(HYPRE_Solver pc);
    HYPRE_PtrToParSolverFcn solve, setup; /* solve NULL: no preconditioner */
} bench_hy_precond;

/* reorder 1: RCM, HYPRE's default (stated here); 0: the natural order */
static HYPRE_Int bench_hy_ilu(HYPRE_Int level, HYPRE_Int reorder, HYPRE_Solver *pc)
{
    HYPRE_Int err = HYPRE_ILUCreate(pc);
    if (!err) err = HYPRE_ILUSetType(*pc, 0); /* block-Jacobi ILU(k) */
    if (!err) err = HYPRE_ILUSetLevelOfFill(*pc, level);
    if (!err) err = HYPRE_ILUSetLocalReordering(*pc, reorder);
    if (!err) err = HYPRE_ILUSetMaxIter(*pc, 1);
    if (!err) err = HYPRE_ILUSetTol(*pc, 0.0);
    if (!err) err = HYPRE_ILUSetPrintLevel(*pc, 0);
    return err;
}

static HYPRE_Int bench_hy_ilu0(MPI_Comm comm, HYPRE_Solver *pc)
{
    (void)comm;
    return bench_hy_ilu(0, 1, pc);
}

static HYPRE_Int bench_hy_ilu0_natural(MPI_Comm comm, HYPRE_Solver *pc)
{
    (void)comm;
    return bench_hy_ilu(0, 0, pc);
}

static HYPRE_Int bench_hy_iluk1(MPI_Comm comm, HYPRE_Solver *pc)
{
    (void)comm;
    return bench_hy_ilu(1, 1, pc);
}

static HYPRE_Int bench_hy_euclid(MPI_Comm comm, HYPRE_Solver *pc)
{
    HYPRE_Int err = HYPRE_EuclidCreate(comm, pc);
    if (!err) err = HYPRE_EuclidSetLevel(*pc, 1);
    return err;
}

static HYPRE_Int bench_hy_parasails(MPI_Comm comm, HYPRE_Solver *pc)
{
    HYPRE_Int err = HYPRE_ParaSailsCreate(comm, pc);
    if (!err) err = HYPRE_ParaSailsSetSym(*pc, 0); /* nonsymmetric: used with GMRES */
    return err;
}

static HYPRE_Int bench_hy_fsai(MPI_Comm comm, HYPRE_Solver *pc)
{
    (void)comm;
    HYPRE_Int err = HYPRE_FSAICreate(pc);
    if (!err) err = HYPRE_FSAISetMaxIterations(*pc, 1);
    if (!err) err = HYPRE_FSAISetTolerance(*pc, 0.0);
    if (!err) err = HYPRE_FSAISetZeroGuess(*pc, 1);
    if (!err) err = HYPRE_FSAISetPrintLevel(*pc, 0);
    return err;
}

static HYPRE_Int bench_hy_boomeramg(MPI_Comm comm, HYPRE_Solver *pc)
{
    (void)comm;
    HYPRE_Int err = HYPRE_BoomerAMGCreate(pc);
    if (!err) err = HYPRE_BoomerAMGSetMaxIter(*pc, 1);
    if (!err) err = HYPRE_BoomerAMGSetTol(*pc, 0.0);
    if (!err) err = HYPRE_BoomerAMGSetPrintLevel(*pc, 0);
    return err;
}

static const bench_hy_precond bench_hy_preconds[] = {
    {"none", NULL, NULL, NULL, NULL},
    {"jacobi", NULL, NULL, HYPRE_ParCSRDiagScale, HYPRE_ParCSRDiagScaleSetup},
    {"ilu0", bench_hy_ilu0, HYPRE_ILUDestroy, HYPRE_ILUSolve, HYPRE_ILUSetup},
    {"ilu0-natural", bench_hy_ilu0_natural, HYPRE_ILUDestroy, HYPRE_ILUSolve, HYPRE_ILUSetup},
    {"iluk1", bench_hy_iluk1, HYPRE_ILUDestroy, HYPRE_ILUSolve, HYPRE_ILUSetup},
    {"euclid", bench_hy_euclid, HYPRE_EuclidDestroy, HYPRE_EuclidSolve, HYPRE_EuclidSetup},
    {"parasails", bench_hy_parasails, HYPRE_ParaSailsDestroy, HYPRE_ParaSailsSolve,
     HYPRE_ParaSailsSetup},
    {"fsai", bench_hy_fsai, HYPRE_FSAIDestroy, HYPRE_FSAISolve, HYPRE_FSAISetup},
    {"boomeramg", bench_hy_boomeramg, HYPRE_BoomerAMGDestroy, HYPRE_BoomerAMGSolve,
     HYPRE_BoomerAMGSetup},
    /* bench_hy_solve sets the number of functions (the problem's block size) */
    {"boomeramg-sys", bench_hy_boomeramg, HYPRE_BoomerAMGDestroy, HYPRE_BoomerAMGSolve,
     HYPRE_BoomerAMGSetup},
};
#define BENCH_HY_NPRECONDS (int)(sizeof bench_hy_preconds / sizeof bench_hy_preconds[0])

/* ---- the rows ---- */

static const bench_peer_row bench_hy_rows[] = {
    {"gmres", "ilu0", BENCH_ANY},          {"gmres", "ilu0-natural", BENCH_ANY},
    {"gmres", "iluk1", BENCH_ANY},
    {"gmres", "euclid", BENCH_ANY},        {"gmres", "parasails", BENCH_ANY},
    {"gmres", "boomeramg", BENCH_ANY},     {"gmres", "jacobi", BENCH_ANY},
    {"gmres", "none", BENCH_ANY},          {"cogmres", "ilu0", BENCH_ANY},
    {"pcg", "boomeramg", BENCH_SPD_LIKE},  {"pcg", "jacobi", BENCH_SPD_LIKE},
    {"pcg", "fsai", BENCH_SPD_LIKE},       {"bicgstab", "ilu0", BENCH_NONSYM},
};
#define BENCH_HY_NROWS (int)(sizeof bench_hy_rows / sizeof bench_hy_rows[0])

/* The Krylov set: HYPRE's GMRES and COGMRES over HYPRE's own vectors. */
static const bench_peer_row bench_hy_krylov[] = {
    {"gmres", "jacobi", BENCH_ANY}, {"cogmres", "jacobi", BENCH_ANY},
    {"gmres", "ilu0", BENCH_ANY},   {"cogmres", "ilu0", BENCH_ANY},
    {"gmres", "ilu0-natural", BENCH_ANY},
};

/* The Block-ISAI set: HYPRE's own preconditioners against xhypre's bisai, all with GMRES(30):
 * ILU(0) in HYPRE's RCM order and in the natural order, Euclid's ILU(1), BoomerAMG scalar and
 * for systems.  Left out to keep `make bench-bisai` near 15 minutes, as in a trial run they were
 * never the fastest on these problems and among the slowest: ParaSails (2.6x ILU(0)'s time on
 * elast3d 40^3, 25x on reacdiff 400^2 b=4, for its setup), ILU(1) (3.2x and 2.1x), Jacobi and
 * none. */
static const bench_peer_row bench_hy_bisai[] = {
    {"gmres", "ilu0", BENCH_ANY},      {"gmres", "ilu0-natural", BENCH_ANY},
    {"gmres", "euclid", BENCH_ANY},    {"gmres", "boomeramg", BENCH_ANY},
    {"gmres", "boomeramg-sys", BENCH_ANY},
};

static const bench_hy_method *bench_hy_find_method(const char *name)
{
    for (int i = 0; i < BENCH_HY_NMETHODS; i++)
        if (strcmp(bench_hy_methods[i].name, name) == 0) return &bench_hy_methods[i];
    return NULL;
}

static const bench_hy_precond *bench_hy_find_precond(const char *name)
{
    for (int i = 0; i < BENCH_HY_NPRECONDS; i++)
        if (strcmp(bench_hy_preconds[i].name, name) == 0) return &bench_hy_preconds[i];
    return NULL;
}

static int bench_hy_list(bench_config *cfg, int *count, int max, bench_row_set set)
{
    if (set == BENCH_ROWS_KRYLOV)
        return bench_list_rows(&bench_package_hypre, bench_hy_krylov,
                               (int)(sizeof bench_hy_krylov / sizeof bench_hy_krylov[0]), cfg,
                               count, max);
    if (set == BENCH_ROWS_BISAI)
        return bench_list_rows(&bench_package_hypre, bench_hy_bisai,
                               (int)(sizeof bench_hy_bisai / sizeof bench_hy_bisai[0]), cfg,
                               count, max);
    return bench_list_rows(&bench_package_hypre, bench_hy_rows, BENCH_HY_NROWS, cfg, count, max);
}

/* Records a HYPRE error code of this rank (0 = none) as the first failure of the solve. */
static void bench_hy_note(bench_solve_out *out, HYPRE_Int err, const char *what)
{
    if (!err || out->failed) return;
    char descr[256] = "";
    HYPRE_DescribeError(err, descr);
    out->failed = 1;
    bench_msg(out->error, sizeof out->error, "%s: HYPRE error %d (%s)", what, (int)err, descr);
}

/* After a phase: whether every rank got through it.  A rank that did not keeps its message; the
 * others say that another rank failed. */
static int bench_hy_agree(MPI_Comm comm, bench_solve_out *out, const char *phase)
{
    HYPRE_ClearAllErrors();
    if (bench_all_ok(comm, !out->failed)) return 1;
    if (!out->failed) {
        out->failed = 1;
        bench_msg(out->error, sizeof out->error, "%s failed on another rank", phase);
    }
    return 0;
}

/* HYPRE 2.26's GMRES and COGMRES store their residual norms only when they also print (print
 * level >= 1: a few lines per solve on rank 0, to stdout); the bench sends stdout to /dev/null
 * while a HYPRE method runs.  Returns the saved descriptor (-1: nothing was redirected). */
static int bench_hy_mute(void)
{
    fflush(stdout);
    int saved = dup(STDOUT_FILENO), null = open("/dev/null", O_WRONLY);
    if (saved < 0 || null < 0 || dup2(null, STDOUT_FILENO) < 0) {
        if (saved >= 0) close(saved);
        if (null >= 0) close(null);
        return -1;
    }
    close(null);
    return saved;
}

static void bench_hy_unmute(int saved)
{
    if (saved < 0) return;
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
}

/* A ParCSR vector in P's row distribution, zero. */
static HYPRE_Int bench_hy_vector(const bench_problem *P, HYPRE_IJVector *ij, HYPRE_ParVector *par)
{
    HYPRE_Int lo = P->row_start, hi = P->row_start + P->nrows - 1;
    HYPRE_Int err = HYPRE_IJVectorCreate(P->comm, lo, hi, ij);
    if (!err) err = HYPRE_IJVectorSetObjectType(*ij, HYPRE_PARCSR);
    if (!err) err = HYPRE_IJVectorInitialize(*ij);
    if (!err) err = HYPRE_IJVectorAssemble(*ij);
    if (!err) err = HYPRE_IJVectorGetObject(*ij, (void **)par);
    if (!err) err = HYPRE_ParVectorSetConstantValues(*par, 0.0);
    return err;
}

static int bench_hy_solve(bench_problem *P, const bench_config *c, const bench_solve_in *in,
                          double *x, bench_solve_out *out)
{
    const bench_hy_method *m = bench_hy_find_method(c->method);
    const bench_hy_precond *pc = bench_hy_find_precond(c->precond);
    HYPRE_ParCSRMatrix A = NULL;
    HYPRE_IJVector ij_b = NULL, ij_x = NULL;
    HYPRE_ParVector par_b = NULL, par_x = NULL;
    HYPRE_Solver krylov = NULL, precond = NULL;
    HYPRE_Int err = 0, iterations = 0;
    HYPRE_Real relres = 0;
    if (!m || !pc) {
        out->failed = 1;
        bench_msg(out->error, sizeof out->error, "unknown HYPRE row %s+%s", c->method, c->precond);
        return -1;
    }
    if (xh_matrix_get_parcsr(P->A, &A) < 0) {
        out->failed = 1;
        bench_msg(out->error, sizeof out->error, "%s", xh_error_message());
        return -1;
    }

    double t0 = bench_start(P->comm);
    bench_hy_note(out, bench_hy_vector(P, &ij_b, &par_b), "vector b");
    bench_hy_note(out, bench_hy_vector(P, &ij_x, &par_x), "vector x");
    if (!out->failed) {
        bench_hy_note(out, m->create(P->comm, &krylov), "create");
        if (!out->failed) {
            bench_hy_note(out, m->set_tol(krylov, in->tol), "tolerance");
            bench_hy_note(out, m->set_abs_tol(krylov, 0.0), "absolute tolerance");
            bench_hy_note(out, m->set_maxit(krylov, in->maxit), "iteration limit");
            if (m->set_kdim) bench_hy_note(out, m->set_kdim(krylov, in->restart), "restart");
            bench_hy_note(out, m->set_logging(krylov, 1), "logging");
            bench_hy_note(out, m->set_print_level(krylov, 1), "print level");
            if (m->set_two_norm) bench_hy_note(out, m->set_two_norm(krylov, 1), "2-norm test");
        }
        if (!out->failed && pc->create) bench_hy_note(out, pc->create(P->comm, &precond), "precond");
        if (!out->failed && strcmp(pc->name, "boomeramg-sys") == 0) {
            xh_matrix_info info;
            int b = P->block_size;
            if (b <= 0 && xh_matrix_get_info(P->A, &info) == XH_OK) b = info.block_size;
            bench_hy_note(out, HYPRE_BoomerAMGSetNumFunctions(precond, b > 0 ? b : 1),
                          "number of functions");
        }
        if (!out->failed && pc->solve)
            bench_hy_note(out, m->set_precond(krylov, pc->solve, pc->setup, precond), "precond");
        if (!out->failed) bench_hy_note(out, m->setup(krylov, A, par_b, par_x), "setup");
    }
    int ok = bench_hy_agree(P->comm, out, "setup");
    out->setup_s = bench_stop(P->comm, t0);
    if (!ok) goto done;

    /* Reuse: K solves after the one setup, each from x = 0. */
    for (int k = 0; k < in->nreuse; k++) {
        t0 = bench_start(P->comm);
        bench_hy_note(out, HYPRE_IJVectorSetValues(ij_b, P->nrows, NULL, in->reuse_b[k]), "copy b");
        bench_hy_note(out, HYPRE_ParVectorSetConstantValues(par_x, 0.0), "zero x");
        if (!out->failed) {
            int saved_stdout = bench_hy_mute();
            err = m->solve(krylov, A, par_b, par_x);
            bench_hy_unmute(saved_stdout);
            HYPRE_ClearAllErrors();
        }
        if (!out->failed)
            bench_hy_note(out, HYPRE_IJVectorGetValues(ij_x, P->nrows, NULL, in->reuse_x[k]), "copy x");
        ok = bench_hy_agree(P->comm, out, "solve");
        in->reuse_solve_s[k] = bench_stop(P->comm, t0);
        if (!ok) goto done;
        m->get_iterations(krylov, &iterations);
        HYPRE_ClearAllErrors();
        in->reuse_its[k] = iterations;
        out->solve_s += in->reuse_solve_s[k];
        out->iterations = iterations;
        snprintf(out->reason, sizeof out->reason, "%s", err ? "HYPRE_ERROR_CONV" : "converged");
    }
    if (in->nreuse > 0) goto done;

    t0 = bench_start(P->comm);
    bench_hy_note(out, HYPRE_IJVectorSetValues(ij_b, P->nrows, NULL, in->b), "copy b");
    if (!out->failed) {
        int saved_stdout = bench_hy_mute();
        err = m->solve(krylov, A, par_b, par_x);
        bench_hy_unmute(saved_stdout);
        /* HYPRE's flag is sticky and would fail the next call.  An error flag from the solve
         * itself (not converging, HYPRE_ERROR_CONV, or a breakdown that BiCGSTAB reports as a
         * generic error) is an outcome: the solution is checked like any other. */
        HYPRE_ClearAllErrors();
    }
    if (!out->failed) bench_hy_note(out, HYPRE_IJVectorGetValues(ij_x, P->nrows, NULL, x), "copy x");
    ok = bench_hy_agree(P->comm, out, "solve");
    out->solve_s = bench_stop(P->comm, t0);
    if (!ok) goto done;

    m->get_iterations(krylov, &iterations);
    m->get_final_relres(krylov, &relres);
    HYPRE_ClearAllErrors();
    out->iterations = iterations;
    out->own_converged = err == 0 && relres <= in->tol;
    if (err & ~HYPRE_ERROR_CONV) {
        char descr[128] = "";
        HYPRE_DescribeError(err, descr);
        bench_msg(out->reason, sizeof out->reason, "the solve returned HYPRE error %d (%s)",
                  (int)err, descr);
    } else {
        snprintf(out->reason, sizeof out->reason, "%s", err ? "HYPRE_ERROR_CONV" : "converged");
    }
    const HYPRE_Real *norms = m->norms(krylov);
    if (norms && in->bnorm > 0) {
        out->history = malloc(((size_t)iterations + 1) * sizeof *out->history);
        if (out->history) {
            for (int i = 0; i <= iterations; i++) out->history[i] = norms[i] / in->bnorm;
            out->history_len = iterations + 1;
        }
    }
done:
    if (krylov) m->destroy(krylov);
    if (precond && pc->destroy) pc->destroy(precond);
    if (ij_b) HYPRE_IJVectorDestroy(ij_b);
    if (ij_x) HYPRE_IJVectorDestroy(ij_x);
    HYPRE_ClearAllErrors();
    return out->failed ? -1 : 0;
}

static void bench_hy_version(char *buf, size_t size)
{
    HYPRE_Int major = 0, minor = 0, patch = 0, single = 0;
    HYPRE_VersionNumber(&major, &minor, &patch, &single);
    snprintf(buf, size, "HYPRE %d.%d.%d", (int)major, (int)minor, (int)patch);
}

const bench_package bench_package_hypre = {"hypre", bench_hy_list, NULL, NULL, bench_hy_solve,
                                           bench_hy_version};
