/* tests/test_solve.c — the fp64 solve path: iteration counts equal direct HYPRE calls, every
 * shared matrix converges or reports honestly with its true residual, rank independence, the
 * outcome codes, histories, and argument checks.  Runs on any number of ranks. */
#include <HYPRE_parcsr_ls.h>

#include "xhypre.h"
#include "xt.h"
#include "xt_solve.h"

static int rank_ = 0, size_ = 1;

static xh_status solve_with(xh_matrix *A, const char *opts, const double *b, double *x,
                            xh_stats *st)
{
    xh_solver *S = NULL;
    xh_status s = xh_solver_create(MPI_COMM_WORLD, &S);
    if (s == XH_OK) s = xh_solver_set_from_string(S, opts);
    if (s == XH_OK) s = xh_solver_set_matrix(S, A);
    if (s == XH_OK) s = xh_solver_solve(S, b, x, st);
    xh_solver_destroy(&S);
    return s;
}

/* The same solve written with HYPRE's own API, as a HYPRE user would; returns the iterations.
 * natural: ILU in the natural order (HYPRE_ILUSetLocalReordering(0)); else HYPRE's default. */
static int direct_hypre_iterations(xh_matrix *A, const char *solver, const char *precond,
                                   int natural, const double *bvals, double tol, int maxit)
{
    HYPRE_ParCSRMatrix par;
    HYPRE_Int n, row_start, nrows, its = -1;
    xh_matrix_get_parcsr(A, &par);
    xh_matrix_get_sizes(A, &n, &row_start, &nrows, NULL);
    HYPRE_IJVector bij, xij;
    HYPRE_ParVector b, x;
    HYPRE_IJVectorCreate(MPI_COMM_WORLD, row_start, row_start + nrows - 1, &bij);
    HYPRE_IJVectorSetObjectType(bij, HYPRE_PARCSR);
    HYPRE_IJVectorInitialize(bij);
    HYPRE_IJVectorCreate(MPI_COMM_WORLD, row_start, row_start + nrows - 1, &xij);
    HYPRE_IJVectorSetObjectType(xij, HYPRE_PARCSR);
    HYPRE_IJVectorInitialize(xij);
    HYPRE_Int *rows = malloc(((size_t)nrows + 1) * sizeof *rows);
    double *zeros = calloc((size_t)nrows + 1, sizeof *zeros);
    for (HYPRE_Int i = 0; i < nrows; i++) rows[i] = row_start + i;
    HYPRE_IJVectorSetValues(bij, nrows, rows, bvals);
    HYPRE_IJVectorSetValues(xij, nrows, rows, zeros);
    HYPRE_IJVectorAssemble(bij);
    HYPRE_IJVectorAssemble(xij);
    HYPRE_IJVectorGetObject(bij, (void **)&b);
    HYPRE_IJVectorGetObject(xij, (void **)&x);

    HYPRE_Solver pc = NULL, ks = NULL;
    HYPRE_PtrToParSolverFcn pc_solve = NULL, pc_setup = NULL;
    if (strcmp(precond, "ilu0") == 0) {
        HYPRE_ILUCreate(&pc);
        HYPRE_ILUSetType(pc, 0);
        HYPRE_ILUSetLevelOfFill(pc, 0);
        HYPRE_ILUSetMaxIter(pc, 1);
        HYPRE_ILUSetTol(pc, 0.0);
        if (natural) HYPRE_ILUSetLocalReordering(pc, 0);
        pc_solve = HYPRE_ILUSolve;
        pc_setup = HYPRE_ILUSetup;
    } else if (strcmp(precond, "boomeramg") == 0) {
        HYPRE_BoomerAMGCreate(&pc);
        HYPRE_BoomerAMGSetMaxIter(pc, 1);
        HYPRE_BoomerAMGSetTol(pc, 0.0);
        HYPRE_BoomerAMGSetPrintLevel(pc, 0);
        pc_solve = HYPRE_BoomerAMGSolve;
        pc_setup = HYPRE_BoomerAMGSetup;
    } else if (strcmp(precond, "euclid") == 0) {
        HYPRE_EuclidCreate(MPI_COMM_WORLD, &pc);
        HYPRE_EuclidSetLevel(pc, 1);
        pc_solve = HYPRE_EuclidSolve;
        pc_setup = HYPRE_EuclidSetup;
    } else if (strcmp(precond, "jacobi") == 0) {
        pc_solve = HYPRE_ParCSRDiagScale;
        pc_setup = HYPRE_ParCSRDiagScaleSetup;
    }
    if (strcmp(solver, "gmres") == 0) {
        HYPRE_ParCSRGMRESCreate(MPI_COMM_WORLD, &ks);
        HYPRE_ParCSRGMRESSetKDim(ks, 30);
        HYPRE_ParCSRGMRESSetTol(ks, tol);
        HYPRE_ParCSRGMRESSetMaxIter(ks, maxit);
        if (pc_solve) HYPRE_ParCSRGMRESSetPrecond(ks, pc_solve, pc_setup, pc);
        HYPRE_ParCSRGMRESSetup(ks, par, b, x);
        HYPRE_ParCSRGMRESSolve(ks, par, b, x);
        HYPRE_ParCSRGMRESGetNumIterations(ks, &its);
        HYPRE_ParCSRGMRESDestroy(ks);
    } else if (strcmp(solver, "fgmres") == 0) {
        HYPRE_ParCSRFlexGMRESCreate(MPI_COMM_WORLD, &ks);
        HYPRE_ParCSRFlexGMRESSetKDim(ks, 30);
        HYPRE_ParCSRFlexGMRESSetTol(ks, tol);
        HYPRE_ParCSRFlexGMRESSetMaxIter(ks, maxit);
        if (pc_solve) HYPRE_ParCSRFlexGMRESSetPrecond(ks, pc_solve, pc_setup, pc);
        HYPRE_ParCSRFlexGMRESSetup(ks, par, b, x);
        HYPRE_ParCSRFlexGMRESSolve(ks, par, b, x);
        HYPRE_ParCSRFlexGMRESGetNumIterations(ks, &its);
        HYPRE_ParCSRFlexGMRESDestroy(ks);
    } else if (strcmp(solver, "cogmres") == 0) {
        HYPRE_ParCSRCOGMRESCreate(MPI_COMM_WORLD, &ks);
        HYPRE_ParCSRCOGMRESSetKDim(ks, 30);
        HYPRE_ParCSRCOGMRESSetTol(ks, tol);
        HYPRE_ParCSRCOGMRESSetMaxIter(ks, maxit);
        if (pc_solve) HYPRE_ParCSRCOGMRESSetPrecond(ks, pc_solve, pc_setup, pc);
        HYPRE_ParCSRCOGMRESSetup(ks, par, b, x);
        HYPRE_ParCSRCOGMRESSolve(ks, par, b, x);
        HYPRE_ParCSRCOGMRESGetNumIterations(ks, &its);
        HYPRE_ParCSRCOGMRESDestroy(ks);
    } else if (strcmp(solver, "pcg") == 0) {
        HYPRE_ParCSRPCGCreate(MPI_COMM_WORLD, &ks);
        HYPRE_ParCSRPCGSetTol(ks, tol);
        HYPRE_ParCSRPCGSetMaxIter(ks, maxit);
        HYPRE_ParCSRPCGSetTwoNorm(ks, 1);
        if (pc_solve) HYPRE_ParCSRPCGSetPrecond(ks, pc_solve, pc_setup, pc);
        HYPRE_ParCSRPCGSetup(ks, par, b, x);
        HYPRE_ParCSRPCGSolve(ks, par, b, x);
        HYPRE_ParCSRPCGGetNumIterations(ks, &its);
        HYPRE_ParCSRPCGDestroy(ks);
    } else if (strcmp(solver, "bicgstab") == 0) {
        HYPRE_ParCSRBiCGSTABCreate(MPI_COMM_WORLD, &ks);
        HYPRE_ParCSRBiCGSTABSetTol(ks, tol);
        HYPRE_ParCSRBiCGSTABSetMaxIter(ks, maxit);
        if (pc_solve) HYPRE_ParCSRBiCGSTABSetPrecond(ks, pc_solve, pc_setup, pc);
        HYPRE_ParCSRBiCGSTABSetup(ks, par, b, x);
        HYPRE_ParCSRBiCGSTABSolve(ks, par, b, x);
        HYPRE_ParCSRBiCGSTABGetNumIterations(ks, &its);
        HYPRE_ParCSRBiCGSTABDestroy(ks);
    }
    HYPRE_ClearAllErrors();
    if (pc && strcmp(precond, "ilu0") == 0) HYPRE_ILUDestroy(pc);
    if (pc && strcmp(precond, "boomeramg") == 0) HYPRE_BoomerAMGDestroy(pc);
    if (pc && strcmp(precond, "euclid") == 0) HYPRE_EuclidDestroy(pc);
    HYPRE_IJVectorDestroy(bij);
    HYPRE_IJVectorDestroy(xij);
    free(rows);
    free(zeros);
    return (int)its;
}

/* xhypre's fp64 mode against the direct HYPRE program; ILU in both orders (xhypre's default is
 * the natural one, -ilu_reorder rcm is HYPRE's default). */
static void check_equal_to_hypre_order(xh_matrix *A, const char *label, const char *solver,
                                       const char *precond, int natural)
{
    char name[256], opts[256];
    int ilu = strcmp(precond, "ilu0") == 0;
    snprintf(name, sizeof name, "solve/%s %s+%s%s iterations equal direct HYPRE", label, solver,
             precond, ilu ? (natural ? " (natural order)" : " (rcm)") : "");
    XT_CASE(name)
    {
        HYPRE_Int n;
        double *b = rhs_ones(A, &n), *x = calloc((size_t)n + 1, sizeof *x);
        xh_stats st;
        snprintf(opts, sizeof opts, "-solver %s -precond %s -tol 1e-8 -maxit 500 -ilu_reorder %s",
                 solver, precond, natural ? "none" : "rcm");
        xh_status s = solve_with(A, opts, b, x, &st);
        int direct = direct_hypre_iterations(A, solver, precond, natural, b, 1e-8, 500);
        XT_CHECK(s == XH_OK, "status %d: %s", s, xh_error_message());
        XT_CHECK(st.iterations == direct, "xhypre %d iterations, HYPRE directly %d", st.iterations, direct);
        XT_CHECK(st.iterations > 0, "no iterations");
        if (rank_ == 0) printf("# %s: %d iterations (HYPRE %d), true relres %.2e\n", name, st.iterations, direct, st.true_relres);
        free(b);
        free(x);
    }
}

static void check_equal_to_hypre(xh_matrix *A, const char *label, const char *solver,
                                 const char *precond)
{
    check_equal_to_hypre_order(A, label, solver, precond, 1);
    if (strcmp(precond, "ilu0") == 0) check_equal_to_hypre_order(A, label, solver, precond, 0);
}

/* Solve a shared matrix and check the report is honest: the status agrees with the true residual
 * computed here, independently. */
static void check_honest(xh_matrix *A, const char *file, const char *precond)
{
    char name[256], opts[256];
    snprintf(name, sizeof name, "solve/%s gmres+%s honest outcome", file, precond);
    XT_CASE(name)
    {
        HYPRE_Int n;
        double *b = rhs_ones(A, &n), *x = calloc((size_t)n + 1, sizeof *x);
        xh_stats st;
        snprintf(opts, sizeof opts, "-solver gmres -precond %s -tol 1e-8 -maxit 2000", precond);
        xh_status s = solve_with(A, opts, b, x, &st);
        if (s < 0) {
            /* A preconditioner may fail to set up on a hard matrix; it must say so clearly. */
            XT_CHECK(s == XH_ERR_HYPRE && xh_error_message()[0], "status %d: %s", s, xh_error_message());
            if (rank_ == 0) printf("# %s: setup failed: %s\n", name, xh_error_message());
        } else {
            double mine = relres_of(A, b, x, n);
            XT_CHECK(fabs(mine - st.true_relres) <= 1e-6 * mine + 1e-300 || (isnan(mine) && isnan(st.true_relres)),
                     "reported true relres %.3e, recomputed %.3e", st.true_relres, mine);
            if (st.reason == XH_CONVERGED) XT_CHECK(st.true_relres <= 1e-8, "converged at %.3e", st.true_relres);
            else XT_CHECK(!(st.true_relres <= 1e-8), "%s at relres %.3e", xh_reason_name(st.reason), st.true_relres);
            if (rank_ == 0)
                printf("# %s: %s, %d iterations, true relres %.2e\n", name, xh_reason_name(st.reason),
                       st.iterations, st.true_relres);
        }
        free(b);
        free(x);
    }
}


static void test_shared_matrices(void)
{
    for (int f = 0; f < XT_NSHARED; f++) {
        const char *path = xt_shared_matrix(xt_shared_files[f]);
        if (!path) {
            xt_skip(xt_shared_files[f], "../shared/matrices is absent");
            continue;
        }
        xh_matrix *A = NULL;
        xh_status s = xh_matrix_read(MPI_COMM_WORLD, path, &A);
        XT_CASE(xt_shared_files[f]) XT_CHECK(s == XH_OK, "read: %s", xh_error_message());
        if (s != XH_OK) continue;
        check_honest(A, xt_shared_files[f], "ilu0");
        check_honest(A, xt_shared_files[f], "boomeramg");
        if (strcmp(xt_shared_files[f], "sherman1.mtx") == 0 || strcmp(xt_shared_files[f], "bcsstk21.mtx") == 0) {
            check_equal_to_hypre(A, xt_shared_files[f], "gmres", "ilu0");
            check_equal_to_hypre(A, xt_shared_files[f], "bicgstab", "ilu0");
        }
        xh_matrix_destroy(&A);
    }
}

static void test_generated(void)
{
    xh_gen_params p;
    xh_matrix *A = NULL;
    xh_gen_params_default(&p);
    p.nx = 40;
    p.ny = 40;
    xh_matrix_generate(MPI_COMM_WORLD, "convdiff2d", &p, &A);
    check_equal_to_hypre(A, "convdiff2d 40", "gmres", "ilu0");
    check_equal_to_hypre(A, "convdiff2d 40", "cogmres", "ilu0");
    check_equal_to_hypre(A, "convdiff2d 40", "cogmres", "jacobi");
    check_equal_to_hypre(A, "convdiff2d 40", "gmres", "jacobi");
    check_equal_to_hypre(A, "convdiff2d 40", "fgmres", "euclid");
    check_equal_to_hypre(A, "convdiff2d 40", "bicgstab", "boomeramg");
    xh_matrix_destroy(&A);
    p.nx = p.ny = p.nz = 12;
    xh_matrix_generate(MPI_COMM_WORLD, "lap3d", &p, &A);
    check_equal_to_hypre(A, "lap3d 12", "pcg", "boomeramg");
    check_equal_to_hypre(A, "lap3d 12", "pcg", "jacobi");
    check_equal_to_hypre(A, "lap3d 12", "gmres", "boomeramg");

    XT_CASE("solve/every solver and precond runs on lap3d")
    {
        HYPRE_Int n;
        double *b = rhs_ones(A, &n), *x = calloc((size_t)n + 1, sizeof *x);
        const char *solvers[] = {"gmres", "fgmres", "pcg", "bicgstab"};
        const char *pcs[] = {"none", "jacobi", "ilu0", "iluk", "euclid", "parasails", "fsai", "boomeramg"};
        for (int s = 0; s < 4; s++)
            for (int q = 0; q < 8; q++) {
                char opts[128];
                xh_stats st;
                snprintf(opts, sizeof opts, "-solver %s -precond %s -tol 1e-9", solvers[s], pcs[q]);
                xh_status e = solve_with(A, opts, b, x, &st);
                XT_CHECK(e == XH_OK && st.reason == XH_CONVERGED && st.true_relres <= 1e-9,
                         "%s: status %d reason %s relres %.2e (%s)", opts, e, xh_reason_name(st.reason),
                         st.true_relres, xh_error_message());
            }
        free(b);
        free(x);
    }

    XT_CASE("solve/outcomes: max iterations, zero rhs, exact initial guess, history")
    {
        HYPRE_Int n;
        double *b = rhs_ones(A, &n), *x = calloc((size_t)n + 1, sizeof *x);
        xh_stats st;
        solve_with(A, "-solver gmres -precond none -maxit 3", b, x, &st);
        XT_CHECK(st.reason == XH_MAX_ITERATIONS && st.iterations == 3, "reason %s its %d",
                 xh_reason_name(st.reason), st.iterations);
        XT_CHECK(st.true_relres > 1e-8, "relres %.2e", st.true_relres);
        double *zero = calloc((size_t)n + 1, sizeof *zero);
        for (HYPRE_Int i = 0; i < n; i++) x[i] = 5;
        solve_with(A, "-solver gmres", zero, x, &st);
        int x_zero = 1;
        for (HYPRE_Int i = 0; i < n; i++) x_zero &= x[i] == 0;
        XT_CHECK(st.reason == XH_CONVERGED && st.iterations == 0 && x_zero, "b = 0: %s %d",
                 xh_reason_name(st.reason), st.iterations);
        for (HYPRE_Int i = 0; i < n; i++) x[i] = 1;
        solve_with(A, "-solver gmres -initial_guess_nonzero", b, x, &st);
        XT_CHECK(st.reason == XH_CONVERGED && st.iterations == 0, "exact x0: %s %d its",
                 xh_reason_name(st.reason), st.iterations);
        /* The history belongs to the solver: read it before destroying the solver. */
        xh_solver *S = NULL;
        xh_solver_create(MPI_COMM_WORLD, &S);
        xh_solver_set_from_string(S, "-solver gmres -precond jacobi -history");
        xh_solver_set_matrix(S, A);
        xh_solver_solve(S, b, x, &st);
        XT_CHECK(st.history_len == st.iterations + 1 && st.history != NULL, "history %d its %d",
                 st.history_len, st.iterations);
        if (st.history_len > 1) {
            XT_CHECK(fabs(st.history[0] - 1.0) < 1e-12, "history[0] = %g", st.history[0]);
            XT_CHECK(st.history[st.history_len - 1] <= 1e-8, "last %g", st.history[st.history_len - 1]);
            /* GMRES's residual never increases, and is never exactly 0 here. */
            for (int i = 1; i < st.history_len; i++)
                XT_CHECK(st.history[i] > 0 && st.history[i] <= st.history[i - 1] * (1 + 1e-12),
                         "history[%d] = %g after %g", i, st.history[i], st.history[i - 1]);
        }
        xh_solver_destroy(&S);
        free(zero);
        free(b);
        free(x);
    }

    XT_CASE("solve/bad calls are errors")
    {
        xh_solver *S = NULL;
        HYPRE_Int n;
        double *b = rhs_ones(A, &n), *x = calloc((size_t)n + 1, sizeof *x);
        xh_stats st;
        XT_CHECK(xh_solver_create(MPI_COMM_WORLD, NULL) == XH_ERR_ARG, "NULL out");
        xh_solver_create(MPI_COMM_WORLD, &S);
        XT_CHECK(xh_solver_solve(S, b, x, &st) == XH_ERR_STATE, "solve without a matrix");
        XT_CHECK(xh_solver_setup(S) == XH_ERR_STATE, "setup without a matrix");
        XT_CHECK(xh_solver_set_from_string(S, "-solver cg") == XH_ERR_ARG, "unknown solver");
        XT_CHECK(strstr(xh_error_message(), "cg") != NULL, "message: %s", xh_error_message());
        XT_CHECK(xh_solver_set_from_string(S, "-tol abc") == XH_ERR_ARG, "bad tol");
        XT_CHECK(xh_solver_set_from_string(S, "-frobnicate") == XH_ERR_ARG, "unknown option");
        xh_solver_set_matrix(S, A);
        XT_CHECK(xh_solver_solve(S, b, b, &st) == XH_ERR_ARG || n == 0, "b == x");
        if (n > 0) b[0] = NAN;
        XT_CHECK(xh_solver_solve(S, b, x, &st) == XH_ERR_ARG, "NaN in b (on rank 0 only)");
        XT_CHECK(xh_solver_destroy(&S) == XH_OK && S == NULL, "destroy");
        XT_CHECK(xh_solver_destroy(&S) == XH_OK, "destroy NULL");
        free(b);
        free(x);
    }
    xh_matrix_destroy(&A);
}

/* Methods whose arithmetic does not depend on the partition give the same iterations on one rank
 * as on all of them (only the order of the global sums differs). */
static void test_rank_independence(void)
{
    XT_CASE("solve/same iterations on 1 rank and on all ranks")
    {
        const char *const runs[] = {"-solver gmres -precond jacobi", "-solver pcg -precond none",
                                    "-solver bicgstab -precond jacobi"};
        xh_gen_params p;
        xh_gen_params_default(&p);
        p.nx = p.ny = 30;
        xh_matrix *A = NULL, *A1 = NULL;
        xh_matrix_generate(MPI_COMM_WORLD, "lap2d", &p, &A);
        if (rank_ == 0) xh_matrix_generate(MPI_COMM_SELF, "lap2d", &p, &A1);
        for (int r = 0; r < 3; r++) {
            HYPRE_Int n;
            double *b = rhs_ones(A, &n), *x = calloc((size_t)n + 1, sizeof *x);
            xh_stats all, one = {0};
            xh_solver *S = NULL;
            solve_with(A, runs[r], b, x, &all);
            if (rank_ == 0) {
                HYPRE_Int n1;
                xh_matrix_get_sizes(A1, NULL, NULL, &n1, NULL);
                double *ones = malloc((size_t)n1 * sizeof *ones), *b1 = malloc((size_t)n1 * sizeof *b1),
                       *x1 = calloc((size_t)n1, sizeof *x1);
                for (HYPRE_Int i = 0; i < n1; i++) ones[i] = 1;
                xh_matrix_matvec(A1, ones, b1);
                xh_solver_create(MPI_COMM_SELF, &S);
                xh_solver_set_from_string(S, runs[r]);
                xh_solver_set_matrix(S, A1);
                xh_solver_solve(S, b1, x1, &one);
                xh_solver_destroy(&S);
                XT_CHECK(one.iterations == all.iterations, "%s: %d iterations on 1 rank, %d on %d", runs[r],
                         one.iterations, all.iterations, size_);
                XT_CHECK(one.reason == XH_CONVERGED && all.reason == XH_CONVERGED, "not converged");
                free(ones);
                free(b1);
                free(x1);
            }
            free(b);
            free(x);
        }
        xh_matrix_destroy(&A);
        xh_matrix_destroy(&A1);
    }
}

/* BiCGSTAB breaks down in its first iteration on a skew-symmetric A with b = e_1 of each 2x2
 * block ((r0, A r0) = 0); HYPRE leaves its iteration count at 0 on a breakdown. */
static void test_bicgstab_breakdown(void)
{
    static const char *const modes[] = {"-precision fp64", "-precision fp64 -kernels xhypre",
                                        "-precision eft"};
    const HYPRE_Int rowptr[3] = {0, 1, 2};
    HYPRE_Int col[2] = {2 * rank_ + 1, 2 * rank_};
    const double val[2] = {1.0, -1.0}, b[2] = {1.0, 0.0};
    xh_matrix *A = NULL;
    XT_CASE("solve/bicgstab breakdown: status breakdown, the iteration that broke down counted")
    {
        XT_CHECK(xh_matrix_create_csr(MPI_COMM_WORLD, 2 * size_, 2 * rank_, 2, rowptr, col, val,
                                      &A) == XH_OK,
                 "matrix");
        for (int m = 0; m < 3; m++) {
            xh_solver *S = NULL;
            xh_stats st;
            double x[2] = {0, 0};
            char opt[128];
            snprintf(opt, sizeof opt, "%s -solver bicgstab -precond none", modes[m]);
            XT_CHECK(xh_solver_create(MPI_COMM_WORLD, &S) == XH_OK &&
                         xh_solver_set_from_string(S, opt) == XH_OK &&
                         xh_solver_set_matrix(S, A) == XH_OK &&
                         xh_solver_solve(S, b, x, &st) == XH_OK,
                     "%s: solve", opt);
            XT_CHECK(st.reason == XH_BREAKDOWN && st.iterations == 1,
                     "%s: %s after %d iterations", opt, xh_reason_name(st.reason), st.iterations);
            xh_solver_destroy(&S);
        }
        xh_matrix_destroy(&A);
    }
}

/* A solver that solved with a small -maxit and -history, then solves with a larger one: the
 * residual log must cover the new iterations.  HYPRE's FlexGMRES, COGMRES and BiCGSTAB allocate
 * their log at the first setup only, so the second solve used to write past it (make test-asan
 * found it in the refinement modes' inner solves, whose maxit changes between solves). */
static void test_history_after_larger_maxit(void)
{
    static const char *const modes[] = {"-precision fp64", "-precision fp64 -kernels xhypre",
                                        "-precision eft"};
    static const char *const solvers[] = {"gmres", "fgmres", "cogmres", "bicgstab", "pcg"};
    xh_gen_params p;
    xh_matrix *A = NULL;
    xh_gen_params_default(&p);
    p.nx = p.ny = 24;
    XT_CASE("solve/history after a larger -maxit: every solver and mode")
    {
        HYPRE_Int nrows = 0;
        XT_CHECK(xh_matrix_generate(MPI_COMM_WORLD, "lap2d", &p, &A) == XH_OK &&
                     xh_matrix_get_sizes(A, NULL, NULL, &nrows, NULL) == XH_OK,
                 "matrix");
        double *b = malloc(((size_t)nrows + 1) * sizeof *b);
        double *x = malloc(((size_t)nrows + 1) * sizeof *x);
        XT_CHECK(b && x, "memory");
        for (HYPRE_Int i = 0; b && i < nrows; i++) b[i] = 1.0 + (double)(i % 7);
        for (int m = 0; b && x && m < 3; m++) {
            for (int k = 0; k < 5; k++) {
                char opt[160];
                xh_solver *S = NULL;
                xh_stats st;
                snprintf(opt, sizeof opt, "%s -solver %s -precond jacobi -history -maxit 3",
                         modes[m], solvers[k]);
                XT_CHECK(xh_solver_create(MPI_COMM_WORLD, &S) == XH_OK &&
                             xh_solver_set_from_string(S, opt) == XH_OK &&
                             xh_solver_set_matrix(S, A) == XH_OK &&
                             xh_solver_solve(S, b, x, &st) == XH_OK,
                         "%s: first solve: %s", opt, xh_error_message());
                XT_CHECK(xh_solver_set_from_string(S, "-maxit 1000") == XH_OK &&
                             xh_solver_solve(S, b, x, &st) == XH_OK,
                         "%s, then -maxit 1000: %s", opt, xh_error_message());
                XT_CHECK(st.reason == XH_CONVERGED && st.iterations > 3 &&
                             st.history_len == st.iterations + 1 && st.history != NULL,
                         "%s, then -maxit 1000: %s, %d iterations, history of %d", opt,
                         xh_reason_name(st.reason), st.iterations, st.history_len);
                for (int i = 0; st.history && i < st.history_len; i++)
                    XT_CHECK(isfinite(st.history[i]) && st.history[i] >= 0,
                             "%s: history[%d] = %g", opt, i, st.history[i]);
                xh_solver_destroy(&S);
            }
        }
        free(b);
        free(x);
        xh_matrix_destroy(&A);
    }
}

int main(int argc, char **argv)
{
    xt_init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    test_generated();
    test_rank_independence();
    test_shared_matrices();
    test_bicgstab_breakdown();
    test_history_after_larger_maxit();
    return xt_finish();
}
