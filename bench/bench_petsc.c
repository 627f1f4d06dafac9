/* bench/bench_petsc.c — the PETSc 3.18 peer: KSP with PETSc's preconditioners (and BoomerAMG
 * through PCHYPRE), on an MPIAIJ matrix built from the very rows xhypre holds on each rank.
 *
 * Settings: GMRES(30) and BiCGSTAB preconditioned on the right, CG on the left (PETSc's CG has
 * no right preconditioning); the norm in the test is always the unpreconditioned residual
 * (KSP_NORM_UNPRECONDITIONED); KSPSetTolerances(rtol = tol, abstol = 1e-50, dtol = 1e300) so
 * the divergence test is off.  With a zero initial guess PETSc's default test is
 * ||r_k|| <= rtol ||r_0|| with r_0 = b: the same ||r||/||b|| <= tol as the other packages (for
 * GMRES ||r_k|| is its recursive estimate; the bench checks the true residual afterwards).
 * PETSc's GMRES orthogonalizes with classical Gram-Schmidt without refinement (its default).
 * ILU is ILU(0) in the natural ordering (PETSc's default; HYPRE's ILU reorders with RCM);
 * bjacobi has one block per rank with ILU(0) on each (on one rank it is the same as ilu; PETSc's
 * ilu works on one rank only: on more its row is an error); sor is PETSc's default local symmetric SOR, omega = 1.
 * gamg is PETSc's smoothed-aggregation AMG with its defaults (on the scalar AIJ matrix: no block
 * size or near null space is set, as for every other row).
 *
 * Errors: PETSc's error handler is replaced by one that records the message and returns the
 * error code (PETSc's own PetscReturnErrorHandler prints nothing and keeps no message), so a
 * failed call becomes an "error" row; a preconditioner failure during the solve (zero pivot) is
 * KSP_DIVERGED_PC_FAILED, an outcome.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <petscksp.h>

#include "bench_solvers.h"

static char bench_ps_message[BENCH_MSG_MAX];

/* PETSc error handler: keeps the first message of an error and returns the code unchanged. */
static PetscErrorCode bench_ps_error_handler(MPI_Comm comm, int line, const char *fun,
                                             const char *file, PetscErrorCode n,
                                             PetscErrorType p, const char *mess, void *ctx)
{
    (void)comm;
    (void)file;
    (void)ctx;
    if (p == PETSC_ERROR_INITIAL)
        snprintf(bench_ps_message, sizeof bench_ps_message, "%s (in %s, line %d)",
                 mess && *mess ? mess : "PETSc error", fun ? fun : "?", line);
    return n;
}

int bench_petsc_initialize(void)
{
    if (PetscInitializeNoArguments()) return -1;
    return PetscPushErrorHandler(bench_ps_error_handler, NULL) ? -1 : 0;
}

void bench_petsc_finalize(void)
{
    PetscPopErrorHandler();
    PetscFinalize();
}

/* ---- per-problem data: the matrix and two vectors that wrap the caller's arrays ---- */

typedef struct bench_ps_data {
    Mat A;
    Vec b, x;
} bench_ps_data;

static void bench_ps_release(bench_problem *P)
{
    bench_ps_data *d = P->petsc;
    if (!d) return;
    MatDestroy(&d->A);
    VecDestroy(&d->b);
    VecDestroy(&d->x);
    free(d);
    P->petsc = NULL;
}

/* An AIJ matrix from the local CSR rows: SeqAIJ on one rank (PETSc's ILU needs it), MPIAIJ on
 * more.  PETSc's integer type may be wider than HYPRE's: the index arrays are copied when it is. */
static PetscErrorCode bench_ps_create_matrix(const bench_problem *P, Mat *A)
{
    const PetscInt *rowptr = (const PetscInt *)P->rowptr, *col = (const PetscInt *)P->col;
    PetscInt *rowptr_copy = NULL, *col_copy = NULL;
    PetscErrorCode err = 0;
    if (sizeof(PetscInt) != sizeof(HYPRE_Int)) {
        size_t nnz = (size_t)P->rowptr[P->nrows];
        rowptr_copy = malloc(((size_t)P->nrows + 1) * sizeof *rowptr_copy);
        col_copy = malloc((nnz + 1) * sizeof *col_copy);
        if (!rowptr_copy || !col_copy) err = PETSC_ERR_MEM;
        for (HYPRE_Int i = 0; !err && i <= P->nrows; i++) rowptr_copy[i] = P->rowptr[i];
        for (size_t k = 0; !err && k < nnz; k++) col_copy[k] = P->col[k];
        rowptr = rowptr_copy;
        col = col_copy;
    }
    if (!err) err = MatCreate(P->comm, A);
    if (!err) err = MatSetSizes(*A, P->nrows, P->nrows, P->n, P->n);
    if (!err) err = MatSetType(*A, MATAIJ);
    /* Each of the two calls does nothing for the other matrix type. */
    if (!err) err = MatSeqAIJSetPreallocationCSR(*A, rowptr, col, P->val);
    if (!err) err = MatMPIAIJSetPreallocationCSR(*A, rowptr, col, P->val);
    free(rowptr_copy);
    free(col_copy);
    return err;
}

static int bench_ps_prepare(bench_problem *P, char *msg, size_t msg_size)
{
    bench_ps_data *d = calloc(1, sizeof *d);
    int ok = d != NULL && bench_problem_local_csr(P, msg, msg_size) == 0;
    bench_ps_message[0] = '\0';
    ok = ok && bench_ps_create_matrix(P, &d->A) == 0;
    ok = ok && VecCreateMPIWithArray(P->comm, 1, P->nrows, P->n, NULL, &d->b) == 0;
    ok = ok && VecCreateMPIWithArray(P->comm, 1, P->nrows, P->n, NULL, &d->x) == 0;
    P->petsc = d;
    if (!bench_all_ok(P->comm, ok)) {
        bench_msg(msg, msg_size, "PETSc matrix: %s",
                  bench_ps_message[0] ? bench_ps_message : "failed (out of memory?)");
        bench_ps_release(P);
        return -1;
    }
    return 0;
}

/* ---- the rows ---- */

static PetscErrorCode bench_ps_ilu0_natural(PC pc)
{
    PetscErrorCode err = PCSetType(pc, PCILU);
    if (!err) err = PCFactorSetLevels(pc, 0);
    if (!err) err = PCFactorSetMatOrderingType(pc, MATORDERINGNATURAL);
    return err;
}

static PetscErrorCode bench_ps_boomeramg(PC pc)
{
    PetscErrorCode err = PCSetType(pc, PCHYPRE);
    if (!err) err = PCHYPRESetType(pc, "boomeramg");
    return err;
}

/* bjacobi: after KSPSetUp the blocks exist; each gets ILU(0), natural ordering. */
static PetscErrorCode bench_ps_bjacobi_blocks(KSP ksp)
{
    PC pc;
    KSP *sub = NULL;
    PetscInt nlocal = 0, first = 0;
    PetscErrorCode err = KSPGetPC(ksp, &pc);
    if (!err) err = PCBJacobiGetSubKSP(pc, &nlocal, &first, &sub);
    for (PetscInt i = 0; !err && i < nlocal; i++) {
        PC subpc;
        err = KSPGetPC(sub[i], &subpc);
        if (!err) err = bench_ps_ilu0_natural(subpc);
    }
    return err;
}

typedef struct bench_ps_precond {
    const char *name;
    PCType type;
    PetscErrorCode (*configure)(PC pc);      /* instead of PCSetType(type); may be NULL */
    PetscErrorCode (*after_setup)(KSP ksp);  /* after KSPSetUp; may be NULL */
} bench_ps_precond;

static const bench_ps_precond bench_ps_preconds[] = {
    {"ilu", PCILU, bench_ps_ilu0_natural, NULL},
    {"bjacobi-ilu", PCBJACOBI, NULL, bench_ps_bjacobi_blocks},
    {"sor", PCSOR, NULL, NULL},
    {"jacobi", PCJACOBI, NULL, NULL},
    {"none", PCNONE, NULL, NULL},
    {"hypre-boomeramg", PCHYPRE, bench_ps_boomeramg, NULL},
    {"gamg", PCGAMG, NULL, NULL},
};
#define BENCH_PS_NPRECONDS (int)(sizeof bench_ps_preconds / sizeof bench_ps_preconds[0])

typedef struct bench_ps_method {
    const char *name;
    KSPType type;
    PCSide side;
} bench_ps_method;

static const bench_ps_method bench_ps_methods[] = {
    {"gmres", KSPGMRES, PC_RIGHT},
    {"cg", KSPCG, PC_LEFT},
    {"bcgs", KSPBCGS, PC_RIGHT},
};
#define BENCH_PS_NMETHODS (int)(sizeof bench_ps_methods / sizeof bench_ps_methods[0])

static const bench_peer_row bench_ps_rows[] = {
    {"gmres", "ilu", BENCH_ANY},
    {"gmres", "bjacobi-ilu", BENCH_ANY},
    {"gmres", "sor", BENCH_ANY},
    {"gmres", "jacobi", BENCH_ANY},
    {"gmres", "none", BENCH_ANY},
    {"gmres", "hypre-boomeramg", BENCH_ANY},
    {"cg", "jacobi", BENCH_SPD_LIKE},
    {"cg", "hypre-boomeramg", BENCH_SPD_LIKE},
    {"bcgs", "ilu", BENCH_NONSYM},
};
#define BENCH_PS_NROWS (int)(sizeof bench_ps_rows / sizeof bench_ps_rows[0])

/* The Krylov set: PETSc's GMRES (classical Gram-Schmidt, VecMDot/VecMAXPY); ilu runs on one
 * rank only, bjacobi-ilu on any. */
static const bench_peer_row bench_ps_krylov[] = {
    {"gmres", "jacobi", BENCH_ANY}, {"gmres", "ilu", BENCH_ANY}, {"gmres", "bjacobi-ilu", BENCH_ANY}};

/* The Block-ISAI set: PETSc's preconditioners against xhypre's bisai, GMRES(30): ILU(0) (ilu on
 * one rank, bjacobi-ilu on more, where ilu cannot run and on one rank is the same), SOR, Jacobi
 * and GAMG.  BoomerAMG through PCHYPRE is left out (45x ilu's time on elast3d 40^3 in a trial
 * run, with PETSc's PCHYPRE defaults); HYPRE's own BoomerAMG rows are measured. */
static const bench_peer_row bench_ps_bisai_1[] = {
    {"gmres", "ilu", BENCH_ANY}, {"gmres", "sor", BENCH_ANY}, {"gmres", "jacobi", BENCH_ANY},
    {"gmres", "gamg", BENCH_ANY}};
static const bench_peer_row bench_ps_bisai_n[] = {
    {"gmres", "bjacobi-ilu", BENCH_ANY}, {"gmres", "sor", BENCH_ANY}, {"gmres", "jacobi", BENCH_ANY},
    {"gmres", "gamg", BENCH_ANY}};

static int bench_ps_list(bench_config *cfg, int *count, int max, bench_row_set set)
{
    if (set == BENCH_ROWS_BISAI) {
        int size = 1;
        MPI_Comm_size(MPI_COMM_WORLD, &size);
        return size == 1 ? bench_list_rows(&bench_package_petsc, bench_ps_bisai_1,
                                           (int)(sizeof bench_ps_bisai_1 / sizeof bench_ps_bisai_1[0]),
                                           cfg, count, max)
                         : bench_list_rows(&bench_package_petsc, bench_ps_bisai_n,
                                           (int)(sizeof bench_ps_bisai_n / sizeof bench_ps_bisai_n[0]),
                                           cfg, count, max);
    }
    if (set == BENCH_ROWS_KRYLOV)
        return bench_list_rows(&bench_package_petsc, bench_ps_krylov,
                               (int)(sizeof bench_ps_krylov / sizeof bench_ps_krylov[0]), cfg,
                               count, max);
    return bench_list_rows(&bench_package_petsc, bench_ps_rows, BENCH_PS_NROWS, cfg, count, max);
}

/* Runs call unless an earlier one failed; a failure is recorded with PETSc's message. */
#define BENCH_PS_TRY(out, call)                                                               \
    do {                                                                                      \
        if (!(out)->failed) {                                                                 \
            bench_ps_message[0] = '\0';                                                       \
            PetscErrorCode bench_ps_err_ = (call);                                            \
            if (bench_ps_err_) {                                                              \
                (out)->failed = 1;                                                            \
                bench_msg((out)->error, sizeof (out)->error, "%s: %s", #call,                 \
                          bench_ps_message[0] ? bench_ps_message : "PETSc error");            \
            }                                                                                 \
        }                                                                                     \
    } while (0)

/* Whether every rank got through a phase (PETSc errors may be local to a rank). */
static int bench_ps_agree(MPI_Comm comm, bench_solve_out *out, const char *phase)
{
    if (bench_all_ok(comm, !out->failed)) return 1;
    if (!out->failed) {
        out->failed = 1;
        bench_msg(out->error, sizeof out->error, "%s failed on another rank", phase);
    }
    return 0;
}

static int bench_ps_solve(bench_problem *P, const bench_config *c, const bench_solve_in *in,
                          double *x, bench_solve_out *out)
{
    bench_ps_data *d = P->petsc;
    const bench_ps_method *m = NULL;
    const bench_ps_precond *pc_def = NULL;
    KSP ksp = NULL;
    PC pc = NULL;
    PetscReal *history = NULL;
    for (int i = 0; i < BENCH_PS_NMETHODS; i++)
        if (strcmp(bench_ps_methods[i].name, c->method) == 0) m = &bench_ps_methods[i];
    for (int i = 0; i < BENCH_PS_NPRECONDS; i++)
        if (strcmp(bench_ps_preconds[i].name, c->precond) == 0) pc_def = &bench_ps_preconds[i];
    if (!d || !m || !pc_def) {
        out->failed = 1;
        bench_msg(out->error, sizeof out->error, "%s", !d ? "no PETSc matrix for this problem"
                                                          : "unknown PETSc row");
        return -1;
    }
    if (in->nreuse == 0) history = malloc(((size_t)in->maxit + 1) * sizeof *history);

    double t0 = bench_start(P->comm);
    BENCH_PS_TRY(out, KSPCreate(P->comm, &ksp));
    BENCH_PS_TRY(out, KSPSetOperators(ksp, d->A, d->A));
    BENCH_PS_TRY(out, KSPSetType(ksp, m->type));
    if (strcmp(m->type, KSPGMRES) == 0) BENCH_PS_TRY(out, KSPGMRESSetRestart(ksp, in->restart));
    BENCH_PS_TRY(out, KSPSetTolerances(ksp, in->tol, 1e-50, 1e300, in->maxit));
    BENCH_PS_TRY(out, KSPSetPCSide(ksp, m->side));
    BENCH_PS_TRY(out, KSPSetNormType(ksp, KSP_NORM_UNPRECONDITIONED));
    BENCH_PS_TRY(out, KSPSetInitialGuessNonzero(ksp, PETSC_FALSE));
    if (history) BENCH_PS_TRY(out, KSPSetResidualHistory(ksp, history, in->maxit + 1, PETSC_TRUE));
    BENCH_PS_TRY(out, KSPGetPC(ksp, &pc));
    if (pc_def->configure) BENCH_PS_TRY(out, pc_def->configure(pc));
    else BENCH_PS_TRY(out, PCSetType(pc, pc_def->type));
    BENCH_PS_TRY(out, KSPSetUp(ksp));
    if (pc_def->after_setup) BENCH_PS_TRY(out, pc_def->after_setup(ksp));
    /* Factor the bjacobi blocks now, not inside the first KSPSolve. */
    BENCH_PS_TRY(out, KSPSetUpOnBlocks(ksp));
    int ok = bench_ps_agree(P->comm, out, "setup");
    out->setup_s = bench_stop(P->comm, t0);
    if (!ok) goto done;

    KSPConvergedReason reason = KSP_CONVERGED_ITERATING;
    PetscInt iterations = 0;
    /* Reuse: K solves after the one setup, each from x = 0 (the initial guess is zero). */
    for (int k = 0; k < in->nreuse; k++) {
        t0 = bench_start(P->comm);
        BENCH_PS_TRY(out, VecPlaceArray(d->b, in->reuse_b[k]));
        BENCH_PS_TRY(out, VecPlaceArray(d->x, in->reuse_x[k]));
        BENCH_PS_TRY(out, KSPSolve(ksp, d->b, d->x));
        BENCH_PS_TRY(out, KSPGetConvergedReason(ksp, &reason));
        BENCH_PS_TRY(out, KSPGetIterationNumber(ksp, &iterations));
        VecResetArray(d->b);
        VecResetArray(d->x);
        ok = bench_ps_agree(P->comm, out, "solve");
        in->reuse_solve_s[k] = bench_stop(P->comm, t0);
        if (!ok) goto done;
        in->reuse_its[k] = (int)iterations;
        out->solve_s += in->reuse_solve_s[k];
        out->iterations = (int)iterations;
        out->own_converged = reason > 0;
        snprintf(out->reason, sizeof out->reason, "%s", KSPConvergedReasons[reason]);
    }
    if (in->nreuse > 0) goto done;

    t0 = bench_start(P->comm);
    BENCH_PS_TRY(out, VecPlaceArray(d->b, in->b));
    BENCH_PS_TRY(out, VecPlaceArray(d->x, x));
    BENCH_PS_TRY(out, KSPSolve(ksp, d->b, d->x));
    BENCH_PS_TRY(out, KSPGetConvergedReason(ksp, &reason));
    BENCH_PS_TRY(out, KSPGetIterationNumber(ksp, &iterations));
    VecResetArray(d->b);
    VecResetArray(d->x);
    ok = bench_ps_agree(P->comm, out, "solve");
    out->solve_s = bench_stop(P->comm, t0);
    if (!ok) goto done;

    out->iterations = (int)iterations;
    out->own_converged = reason > 0;
    snprintf(out->reason, sizeof out->reason, "%s", KSPConvergedReasons[reason]);
    const PetscReal *h = NULL;
    PetscInt len = 0;
    if (history && KSPGetResidualHistory(ksp, &h, &len) == 0 && len > 0 && in->bnorm > 0) {
        out->history = malloc((size_t)len * sizeof *out->history);
        if (out->history) {
            for (PetscInt i = 0; i < len; i++) out->history[i] = h[i] / in->bnorm;
            out->history_len = (int)len;
        }
    }
done:
    KSPDestroy(&ksp);
    free(history);
    return out->failed ? -1 : 0;
}

static void bench_ps_version(char *buf, size_t size)
{
    char v[128] = "PETSc";
    PetscGetVersion(v, sizeof v);
    snprintf(buf, size, "%s", v);
}

const bench_package bench_package_petsc = {"petsc", bench_ps_list, bench_ps_prepare,
                                           bench_ps_release, bench_ps_solve, bench_ps_version};
